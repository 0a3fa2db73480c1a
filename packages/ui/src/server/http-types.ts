/**
 * The slice of Node's request and response the UI needs, satisfied by both
 * node:http and the node:http2 compatibility API, so one handler serves
 * HTTP/1.1 and HTTP/2.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { HttpError } from '@spout/hub';

export interface UiRequest extends AsyncIterable<Buffer | string> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

export interface UiResponse {
  writeHead(status: number, headers?: OutgoingHttpHeaders): unknown;
  write(chunk: string | Uint8Array): boolean;
  end(chunk?: string | Uint8Array): unknown;
  once(event: 'close' | 'drain', listener: () => void): unknown;
  readonly writableEnded: boolean;
  readonly destroyed?: boolean;
}

/** Sends a short plain-text answer; errors are sentences that say what to do. */
export function sendText(
  res: UiResponse,
  status: number,
  text: string,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(`${text}\n`);
}

export function sendJson(
  res: UiResponse,
  status: number,
  value: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(JSON.stringify(value));
}

/** Largest JSON body the UI endpoints accept. */
export const MAX_JSON_BODY = 16 * 1024;

/** Reads a small JSON object body; 415 for another type, 413 past the cap, 400 for bad JSON. */
export async function readJsonBody(req: UiRequest): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Requiring JSON also keeps cross-site forms out: a cross-origin JSON POST needs a preflight nobody answers.
  if (type !== 'application/json') throw new HttpError(415, 'send the body as application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_JSON_BODY) throw new HttpError(413, `body larger than ${MAX_JSON_BODY} bytes`);
    chunks.push(buffer);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new HttpError(400, 'body must be a JSON object');
  return value as Record<string, unknown>;
}
