/**
 * The line-level half of the event-stream parser (WHATWG HTML 9.2.6, "Interpreting an
 * event stream"): takes decoded text made only of complete lines and builds and
 * dispatches events. The byte-level half (decoding, BOM, unfinished lines) is parser.ts.
 *
 * Speed comes from calling into the engine as little as possible per line. Only lines
 * of unknown length (`data:`, comments, other fields) are searched for their line end
 * with `indexOf`; blank lines, `id:` values (short) and `event:` values (most repeat
 * the previous type) are read character by character instead. The event being built
 * lives in local variables while a text is parsed; it is written back around each
 * callback (which may reset or feed the parser) and once at the end of the text.
 */

import { ParseError } from './parse-error.ts';
import type { ParsedEvent, ParserOptions } from './parser.ts';

export const LF = 0x0a;
export const CR = 0x0d;
export const COLON = 0x3a;
export const SPACE = 0x20;

/** Search state meaning "not searched yet"; -1 means "none left in this text". */
const STALE = -2;

/** Builds events from complete lines; internal to the package (createParser is the public face). */
export class LineParser {
  protected readonly onEvent: ((event: ParsedEvent) => void) | undefined;
  protected readonly onComment: ((text: string) => void) | undefined;
  readonly #onRetry: ((milliseconds: number) => void) | undefined;
  readonly #onError: ((error: ParseError) => void) | undefined;
  protected readonly maxEventSize: number;

  protected data = '';
  protected hasData = false;
  protected eventType = '';
  /** The last event type seen: compared in place before a new string is made. */
  #eventTypeCache = '';
  protected idBuffer: string;
  /** The last event ID string (the spec's "last event ID string"). */
  protected lastId: string;
  /** The current event overflowed: it will not be dispatched. */
  protected dropping = false;
  #deferredError: ParseError | undefined;

  constructor(options: ParserOptions, maxEventSize: number) {
    this.onEvent = options.onEvent;
    this.onComment = options.onComment;
    this.#onRetry = options.onRetry;
    this.#onError = options.onError;
    this.maxEventSize = maxEventSize;
    this.lastId = options.lastEventId ?? '';
    this.idBuffer = this.lastId;
  }

  get lastEventId(): string {
    return this.lastId;
  }

  /** UTF-16 code units of data held for the event being built. */
  get dataLength(): number {
    return this.data.length;
  }

  reset(lastEventId: string | undefined): void {
    if (lastEventId !== undefined) this.lastId = lastEventId;
    this.idBuffer = this.lastId;
    this.data = '';
    this.hasData = false;
    this.eventType = '';
    this.dropping = false;
  }

  /** The error to throw from feed() when there is no onError callback, once. */
  takeDeferredError(): ParseError | undefined {
    const error = this.#deferredError;
    this.#deferredError = undefined;
    return error;
  }

  /** Drops the event being built and reports it, once per event. */
  overflow(): void {
    this.data = '';
    this.hasData = false;
    if (this.dropping) return;
    this.dropping = true;
    const error = new ParseError(
      'event-too-large',
      `An event exceeded maxEventSize (${this.maxEventSize} bytes) and was dropped; parsing resumes with the next event. ` +
        'Raise maxEventSize if events this large are expected.',
    );
    if (this.#onError !== undefined) this.#onError(error);
    else this.#deferredError ??= error;
  }

  /** Parses text made only of complete lines (it ends with CR or LF). */
  parse(text: string): void {
    const length = text.length;
    // The scans below stop only at a line end; this guarantees they stop inside the text.
    if (!isLineEnd(text.charCodeAt(length - 1)))
      throw new Error('LineParser.parse: text must end with CR or LF');
    let data = this.data;
    let hasData = this.hasData;
    let type = this.eventType;
    let id = this.idBuffer;
    // Cached positions of the next LF and CR, so each is searched for once per text. Most streams
    // have no CR at all: one search says so, and CR is never looked for again. (Locals, not fields:
    // a callback that feeds the parser again must not move them.)
    let nextLF = STALE;
    const hasCR = text.includes('\r');
    let nextCR = hasCR ? STALE : -1;
    let position = 0;
    while (position < length) {
      const first = text.charCodeAt(position);
      if (first === LF || first === CR) {
        position += first === CR && text.charCodeAt(position + 1) === LF ? 2 : 1;
        this.dispatch(data, hasData, type, id);
        data = this.data;
        hasData = this.hasData;
        type = this.eventType;
        id = this.idBuffer;
        continue;
      }
      let end: number;
      if (first === 0x64 && isDataField(text, position)) {
        if (nextLF < position && nextLF !== -1) nextLF = text.indexOf('\n', position);
        if (nextCR < position && nextCR !== -1) nextCR = text.indexOf('\r', position);
        end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
        if (!this.dropping) {
          // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
          const value = text.slice(valueStart(text, position + 5), end);
          data = hasData ? `${data}\n${value}` : value;
          hasData = true;
          if (data.length > this.maxEventSize) {
            // onError may call back into the parser, so the event is saved around it.
            this.save(data, hasData, type, id);
            this.overflow();
            data = this.data;
            hasData = this.hasData;
            type = this.eventType;
            id = this.idBuffer;
          }
        }
      } else if (
        first === 0x69 &&
        text.charCodeAt(position + 1) === 0x64 &&
        text.charCodeAt(position + 2) === COLON
      ) {
        const start = valueStart(text, position + 3);
        end = idEnd(text, start);
        // [spec] an id containing U+0000 NULL is ignored.
        if (end >= 0) id = text.slice(start, end);
        else end = lineEndFrom(text, start);
      } else if (first === 0x65 && isEventField(text, position)) {
        const start = valueStart(text, position + 6);
        const cached = this.#eventTypeCache;
        end = start + cached.length;
        if (matches(text, start, cached) && isLineEnd(text.charCodeAt(end))) {
          // Streams repeat a handful of types: reuse the string rather than make one per event.
          type = cached;
        } else {
          end = lineEndFrom(text, start);
          type = this.#eventTypeCache = text.slice(start, end);
        }
      } else {
        if (nextLF < position && nextLF !== -1) nextLF = text.indexOf('\n', position);
        if (nextCR < position && nextCR !== -1) nextCR = text.indexOf('\r', position);
        end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
        // Comments and retry may call back, so the event is saved around them.
        this.save(data, hasData, type, id);
        this.otherLine(text, position, end);
        data = this.data;
        hasData = this.hasData;
        type = this.eventType;
        id = this.idBuffer;
      }
      // [spec] lines end with CRLF, a lone LF or a lone CR.
      position = hasCR && text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    }
    this.save(data, hasData, type, id);
  }

  /**
   * An empty line: dispatches the event built in the loop's locals. Afterwards the fields hold the
   * state to go on from: the callback may reset or feed the parser, and it sees the state as it is.
   */
  protected dispatch(data: string, hasData: boolean, type: string, id: string): void {
    // [spec] an empty line dispatches: the last event ID is set first, even with no data.
    this.lastId = id;
    // [spec] the data and event type buffers are reset.
    this.save('', false, '', id);
    if (!hasData || this.dropping) {
      // [spec] with an empty data buffer nothing is dispatched.
      this.dropping = false;
      return;
    }
    // [spec] the type is `message` unless an `event:` line set a non-empty one.
    this.onEvent?.({ type: type === '' ? 'message' : type, data, lastEventId: id });
  }

  protected save(data: string, hasData: boolean, type: string, id: string): void {
    this.data = data;
    this.hasData = hasData;
    this.eventType = type;
    this.idBuffer = id;
  }

  /** A non-empty line other than `data:`, `id:` and `event:` with a colon. */
  protected otherLine(text: string, start: number, end: number): void {
    if (text.charCodeAt(start) === COLON) {
      // [spec] a line starting with a colon is a comment.
      this.onComment?.(text.slice(valueStart(text, start + 1), end));
      return;
    }
    // [spec] the field name is up to the first colon; with no colon, the whole line, and the value is empty.
    let nameEnd = start + 1;
    while (nameEnd < end && text.charCodeAt(nameEnd) !== COLON) nameEnd++;
    const value = nameEnd === end ? '' : text.slice(valueStart(text, nameEnd + 1), end);
    switch (text.slice(start, nameEnd)) {
      case 'data':
        if (this.dropping) return;
        this.data = this.hasData ? `${this.data}\n${value}` : value;
        this.hasData = true;
        if (this.data.length > this.maxEventSize) this.overflow();
        return;
      case 'event':
        this.eventType = value;
        return;
      case 'id':
        // [spec] an id containing U+0000 NULL is ignored.
        if (!value.includes('\0')) this.idBuffer = value;
        return;
      case 'retry':
        // [spec] retry is used only when the value is all ASCII digits.
        if (/^[0-9]+$/.test(value)) this.#onRetry?.(Number.parseInt(value, 10));
        return;
      default:
      // [spec] any other field is ignored.
    }
  }
}

/** Whether the line at `start` is `data:` (a line end stops the match, so this never reads past the line). */
function isDataField(text: string, start: number): boolean {
  return (
    text.charCodeAt(start + 4) === COLON &&
    text.charCodeAt(start + 1) === 0x61 &&
    text.charCodeAt(start + 2) === 0x74 &&
    text.charCodeAt(start + 3) === 0x61
  );
}

function isEventField(text: string, start: number): boolean {
  return (
    text.charCodeAt(start + 5) === COLON &&
    text.charCodeAt(start + 1) === 0x76 &&
    text.charCodeAt(start + 2) === 0x65 &&
    text.charCodeAt(start + 3) === 0x6e &&
    text.charCodeAt(start + 4) === 0x74
  );
}

function isLineEnd(code: number): boolean {
  return code === LF || code === CR;
}

/** [spec] one leading space after the colon is not part of the value. */
function valueStart(text: string, start: number): number {
  return text.charCodeAt(start) === SPACE ? start + 1 : start;
}

/** The end of an id value, scanned in place (ids are short); -1 when it holds a NUL. */
function idEnd(text: string, start: number): number {
  for (let i = start; ; i++) {
    const code = text.charCodeAt(i);
    if (code === LF || code === CR) return i;
    if (code === 0) return -1;
  }
}

/** The first CR or LF at or after `start`, scanned in place (for short values). */
function lineEndFrom(text: string, start: number): number {
  let i = start;
  while (!isLineEnd(text.charCodeAt(i))) i++;
  return i;
}

/** Whether `expected` occurs in `text` at `start`, compared in place (no slice). */
function matches(text: string, start: number, expected: string): boolean {
  const n = expected.length;
  for (let i = 0; i < n; i++) if (text.charCodeAt(start + i) !== expected.charCodeAt(i)) return false;
  return true;
}
