/**
 * Encoder for the `text/event-stream` format (WHATWG HTML, "Server-sent events").
 *
 * Every function here is pure and validates its input, so a bad id or event
 * name is caught where it is made instead of corrupting the stream for every
 * subscriber downstream.
 */

/** One event to put on the wire. Every field is optional. */
export interface EventFields {
  /** Sets the client's last event ID; an empty string resets it. Must not contain CR, LF or NUL. */
  id?: string | undefined;
  /** Event type; the client dispatches `message` when absent. Must not contain CR or LF. */
  event?: string | undefined;
  /** Payload. Any string: each line becomes its own `data:` line. Absent means no `data:` line at all. */
  data?: string | undefined;
  /** Reconnection time in milliseconds: a non-negative integer. */
  retry?: number | undefined;
}

/** Thrown when an event cannot be encoded without changing its meaning on the wire. */
export class EventEncodingError extends TypeError {
  /** The field that was rejected. */
  readonly field: 'id' | 'event' | 'retry';

  constructor(field: 'id' | 'event' | 'retry', message: string) {
    super(message);
    this.name = 'EventEncodingError';
    this.field = field;
  }
}

const LINE_BREAK = /\r\n|\r|\n/;
const HAS_LINE_BREAK = /[\r\n]/;

function checkSingleLine(field: 'id' | 'event', value: string): void {
  if (HAS_LINE_BREAK.test(value)) {
    // [spec] a line break ends the field, so the rest would be parsed as another field.
    throw new EventEncodingError(
      field,
      `SSE field "${field}" must not contain a line break (CR or LF): got ${JSON.stringify(value)}. ` +
        'A line break would end the field and the rest would be read as a different field.',
    );
  }
}

function checkFields(fields: EventFields): void {
  if (fields.id !== undefined) {
    checkSingleLine('id', fields.id);
    if (fields.id.includes('\0')) {
      // [spec] an id containing U+0000 NULL is ignored by every client.
      throw new EventEncodingError(
        'id',
        `SSE field "id" must not contain a NUL character: clients ignore such an id. Got ${JSON.stringify(fields.id)}.`,
      );
    }
  }
  if (fields.event !== undefined) checkSingleLine('event', fields.event);
  const retry = fields.retry;
  if (retry !== undefined && !(Number.isSafeInteger(retry) && retry >= 0)) {
    // [spec] clients accept `retry` only when it is all ASCII digits.
    throw new EventEncodingError(
      'retry',
      `SSE field "retry" must be a non-negative integer number of milliseconds, got ${String(retry)}.`,
    );
  }
}

/**
 * Encodes one event as text, ending with the blank line that dispatches it.
 *
 * `data` is split on CR, LF and CRLF into one `data:` line each, so any
 * payload (blank lines included) arrives as sent, with line ends as LF.
 *
 * @throws {EventEncodingError} when `id` or `event` holds a line break, `id` holds NUL,
 *   or `retry` is not a non-negative integer.
 * @example
 * encodeEvent({ id: '7', event: 'price', data: '{"AAPL":187.2}' });
 * // 'id: 7\nevent: price\ndata: {"AAPL":187.2}\n\n'
 */
export function encodeEvent(fields: EventFields): string {
  checkFields(fields);
  let out = '';
  if (fields.id !== undefined) out += `id: ${fields.id}\n`;
  if (fields.event !== undefined && fields.event !== '') out += `event: ${fields.event}\n`;
  if (fields.retry !== undefined) out += `retry: ${fields.retry}\n`;
  if (fields.data !== undefined) out += encodeData(fields.data);
  return `${out}\n`;
}

function encodeData(data: string): string {
  if (!HAS_LINE_BREAK.test(data)) return `data: ${data}\n`;
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

const utf8 = new TextEncoder();

/** {@link encodeEvent}, as UTF-8 bytes ready to write to a socket. */
export function encodeEventBytes(fields: EventFields): Uint8Array {
  return utf8.encode(encodeEvent(fields));
}

/**
 * Encodes a comment: clients ignore it, proxies see traffic, so it serves as a
 * keep-alive. A multi-line text becomes one comment line per line.
 *
 * @example encodeComment('ping') // ': ping\n'
 */
export function encodeComment(text = ''): string {
  let out = '';
  for (const line of text.split(LINE_BREAK)) out += line === '' ? ':\n' : `: ${line}\n`;
  return out;
}

/** {@link encodeComment}, as UTF-8 bytes. */
export function encodeCommentBytes(text = ''): Uint8Array {
  return utf8.encode(encodeComment(text));
}
