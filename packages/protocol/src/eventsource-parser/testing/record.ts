/** Helpers for the eventsource-parser compatible API's tests: run a parser and record what it reports, in order. */
import type { createParser } from '../parse.ts';
import type { ParserConfig } from '../types.ts';

/** Everything a parser reported, in order, as plain values (so two parsers' records compare with deepEqual). */
export type Report =
  | ['event', { id: string | undefined; event: string | undefined; data: string }]
  | ['id', string]
  | ['retry', number]
  | ['comment', string]
  | ['error', { type: string; message: string; field?: string; value?: string; line?: string }]
  | ['thrown', string];

/**
 * Feeds each chunk in order to a fresh parser made by `create` (Spout's or the original) and returns its reports;
 * if feed() throws, the last report is the error's message.
 */
export function record(
  create: typeof createParser,
  chunks: readonly string[],
  config: Pick<ParserConfig, 'maxBufferSize'> = {},
): Report[] {
  const reports: Report[] = [];
  const { feed } = create({
    ...config,
    onEvent: (event) => reports.push(['event', { id: event.id, event: event.event, data: event.data }]),
    onId: (id) => reports.push(['id', id]),
    onRetry: (ms) => reports.push(['retry', ms]),
    onComment: (text) => reports.push(['comment', text]),
    onError: (error) => reports.push(['error', errorFields(error)]),
  });
  try {
    for (const chunk of chunks) feed(chunk);
  } catch (error) {
    reports.push(['thrown', (error as Error).message]);
  }
  return reports;
}

function errorFields(error: {
  type: string;
  message: string;
  field?: string | undefined;
  value?: string | undefined;
  line?: string | undefined;
}): Extract<Report, ['error', unknown]>[1] {
  const fields: Extract<Report, ['error', unknown]>[1] = { type: error.type, message: error.message };
  if (error.field !== undefined) fields.field = error.field;
  if (error.value !== undefined) fields.value = error.value;
  if (error.line !== undefined) fields.line = error.line;
  return fields;
}

/** Splits text into pieces of `size` characters. */
export function split(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
