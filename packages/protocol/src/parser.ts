/**
 * Incremental parser for `text/event-stream` (WHATWG HTML, "Server-sent events",
 * 9.2.6 "Interpreting an event stream").
 *
 * Design: bytes are scanned only to find the last line end of each chunk. The
 * complete lines are then decoded with one TextDecoder call and parsed as a
 * string; the unfinished tail stays as bytes until its line ends. Cutting at a
 * line end never splits a UTF-8 sequence (CR and LF are ASCII), so decoding per
 * piece equals decoding the whole stream, and tiny chunks cost no decoder call
 * at all until a line completes.
 */

import { ParseError } from './parse-error.ts';

/** An event as the client dispatches it: the fields of a `MessageEvent`. */
export interface ParsedEvent {
  /** The event type: the last `event:` value, or `message`. */
  type: string;
  /** The `data:` lines joined by LF. */
  data: string;
  /** The last event ID in force when the event was dispatched (persists across events). */
  lastEventId: string;
}

/** Callbacks and limits for {@link createParser}. */
export interface ParserOptions {
  /** Called for each dispatched event. */
  onEvent?: (event: ParsedEvent) => void;
  /** Called for each comment line, with one leading space removed. */
  onComment?: (text: string) => void;
  /** Called when a valid `retry:` field sets the reconnection time (milliseconds). */
  onRetry?: (milliseconds: number) => void;
  /**
   * Called when an event is dropped for exceeding `maxEventSize`. Without it,
   * `feed()` throws the {@link ParseError} after processing the whole chunk.
   */
  onError?: (error: ParseError) => void;
  /**
   * Most bytes one event may hold while it is assembled (its unfinished line
   * plus its data so far, counted as UTF-16 code units once decoded).
   * An event past it is dropped and reported; parsing resumes with the next
   * event. Default: 4 MiB.
   */
  maxEventSize?: number;
  /** Last event ID to start from, e.g. the one a reconnecting client already had. */
  lastEventId?: string;
}

/** A running parser. */
export interface EventStreamParser {
  /** Feeds the next piece of the stream: raw bytes (decoded as UTF-8 here) or text. */
  feed(chunk: Uint8Array | string): void;
  /**
   * Starts a new stream (after a reconnect): forgets the unfinished line and
   * event, and expects a BOM again. The last event ID persists unless given.
   */
  reset(options?: { lastEventId?: string }): void;
  /** The last event ID string: set when an event is dispatched, kept until an `id:` line changes it. */
  readonly lastEventId: string;
}

/** Default for {@link ParserOptions.maxEventSize}. */
export const DEFAULT_MAX_EVENT_SIZE = 4 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Creates an incremental event-stream parser.
 *
 * @example
 * const parser = createParser({ onEvent: (e) => console.log(e.type, e.data) });
 * parser.feed(new TextEncoder().encode('event: price\ndata: 42\n\n'));
 */
export function createParser(options: ParserOptions = {}): EventStreamParser {
  return new Parser(options);
}

class Parser implements EventStreamParser {
  readonly #onEvent: ((event: ParsedEvent) => void) | undefined;
  readonly #onComment: ((text: string) => void) | undefined;
  readonly #onRetry: ((milliseconds: number) => void) | undefined;
  readonly #onError: ((error: ParseError) => void) | undefined;
  readonly #maxEventSize: number;
  // ignoreBOM: the BOM is stripped once per stream below, never per decode call.
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  readonly #encoder = new TextEncoder();

  /** Bytes of the unfinished line. */
  #pending = new Uint8Array(256);
  #pendingLength = 0;
  /** Until the first 3 bytes are seen, a leading BOM may still be arriving. */
  #atStreamStart = true;
  /** The previous chunk ended with CR: a LF starting this one belongs to it. */
  #afterCR = false;
  /** The current line overflowed: its bytes are discarded up to its line end. */
  #skippingLine = false;
  /** The current event overflowed: it will not be dispatched. */
  #droppingEvent = false;
  #deferredError: ParseError | undefined;

  #data = '';
  #hasData = false;
  #eventType = '';
  #eventTypeCache = '';
  #idBuffer: string;
  #lastEventId: string;

  constructor(options: ParserOptions) {
    this.#onEvent = options.onEvent;
    this.#onComment = options.onComment;
    this.#onRetry = options.onRetry;
    this.#onError = options.onError;
    const max = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
    if (!(Number.isSafeInteger(max) && max > 0)) {
      throw new RangeError(`maxEventSize must be a positive integer number of bytes, got ${String(max)}.`);
    }
    this.#maxEventSize = max;
    this.#lastEventId = options.lastEventId ?? '';
    this.#idBuffer = this.#lastEventId;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  reset(options: { lastEventId?: string } = {}): void {
    if (options.lastEventId !== undefined) this.#lastEventId = options.lastEventId;
    this.#idBuffer = this.#lastEventId;
    this.#pendingLength = 0;
    this.#atStreamStart = true;
    this.#afterCR = false;
    this.#skippingLine = false;
    this.#droppingEvent = false;
    this.#clearEvent();
  }

  feed(chunk: Uint8Array | string): void {
    let bytes = typeof chunk === 'string' ? this.#encoder.encode(chunk) : chunk;
    if (this.#atStreamStart) {
      const rest = this.#stripBOM(bytes);
      if (rest === undefined) return;
      bytes = rest;
    }
    let start = 0;
    if (this.#afterCR && bytes.length > 0) {
      this.#afterCR = false;
      // [spec] CRLF is one line end, even when split across two chunks.
      if (bytes[0] === LF) start = 1;
    }
    if (this.#skippingLine) start = this.#skipToLineEnd(bytes, start);
    if (start >= 0 && start < bytes.length) this.#consume(bytes, start);
    const error = this.#deferredError;
    if (error !== undefined) {
      this.#deferredError = undefined;
      throw error;
    }
  }

  /** Returns the bytes after a leading BOM, or undefined while a BOM may still be arriving. */
  #stripBOM(bytes: Uint8Array): Uint8Array | undefined {
    const seen = this.#pendingLength + bytes.length;
    let matched = 0;
    for (let i = 0; i < 3 && i < seen; i++) {
      const byte = i < this.#pendingLength ? this.#pending[i] : bytes[i - this.#pendingLength];
      if (byte !== BOM[i]) break;
      matched++;
    }
    if (matched === seen && seen < 3) {
      this.#append(bytes, 0, bytes.length);
      return undefined;
    }
    this.#atStreamStart = false;
    const held = this.#pending.slice(0, this.#pendingLength);
    this.#pendingLength = 0;
    // [spec] one leading U+FEFF BYTE ORDER MARK is ignored, only at the start of the stream.
    const whole = held.length === 0 ? bytes : concat(held, bytes);
    return matched === 3 ? whole.subarray(3) : whole;
  }

  /** Discards the bytes of an overflowed line up to its line end; returns where the next line starts, or -1. */
  #skipToLineEnd(bytes: Uint8Array, from: number): number {
    for (let i = from; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === LF || byte === CR) {
        this.#skippingLine = false;
        if (byte === LF) return i + 1;
        if (i + 1 === bytes.length) this.#afterCR = true;
        return bytes[i + 1] === LF ? i + 2 : i + 1;
      }
    }
    return -1;
  }

  #consume(bytes: Uint8Array, start: number): void {
    const end = lastLineEnd(bytes, start);
    if (end < 0) {
      this.#appendChecked(bytes, start);
      return;
    }
    let text: string;
    if (this.#pendingLength === 0) {
      text = this.#decoder.decode(bytes.subarray(start, end + 1));
    } else {
      this.#append(bytes, start, end + 1);
      text = this.#decoder.decode(this.#pending.subarray(0, this.#pendingLength));
      this.#pendingLength = 0;
    }
    this.#afterCR = end === bytes.length - 1 && bytes[end] === CR;
    this.#parseLines(text);
    if (end + 1 < bytes.length) this.#appendChecked(bytes, end + 1);
  }

  #appendChecked(bytes: Uint8Array, start: number): void {
    if (this.#pendingLength + bytes.length - start + this.#data.length > this.#maxEventSize) {
      this.#pendingLength = 0;
      this.#skippingLine = true;
      this.#overflow();
      return;
    }
    this.#append(bytes, start, bytes.length);
  }

  #append(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.#pendingLength + end - start;
    if (needed > this.#pending.length) {
      const grown = new Uint8Array(Math.max(needed, this.#pending.length * 2));
      grown.set(this.#pending.subarray(0, this.#pendingLength));
      this.#pending = grown;
    }
    this.#pending.set(bytes.subarray(start, end), this.#pendingLength);
    this.#pendingLength = needed;
  }

  /**
   * Parses text made only of complete lines (it ends with CR or LF).
   *
   * This is the hot loop: blank lines and `data:` lines, most of any stream,
   * are handled inline on local copies of the event state; the rest goes
   * through #parseField.
   */
  #parseLines(text: string): void {
    const length = text.length;
    let position = 0;
    // Cached positions of the next CR and LF, so each is searched for once per text.
    let nextLF = text.indexOf('\n');
    let nextCR = text.indexOf('\r');
    while (position < length) {
      if (nextLF !== -1 && nextLF < position) nextLF = text.indexOf('\n', position);
      if (nextCR !== -1 && nextCR < position) nextCR = text.indexOf('\r', position);
      const end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
      if (end === position) {
        // [spec] an empty line dispatches the event.
        this.#dispatch();
      } else if (isDataField(text, position, end)) {
        // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
        const value = text.slice(valueStart(text, position + 5, end), end);
        if (!this.#hasData) {
          this.#data = value;
          this.#hasData = true;
        } else {
          this.#data = `${this.#data}\n${value}`;
        }
        if (this.#data.length > this.#maxEventSize) this.#dropEvent();
      } else {
        this.#parseField(text, position, end);
      }
      // [spec] lines end with CRLF, a lone LF or a lone CR.
      position = end + (text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1);
    }
  }

  /** Parses a non-empty line other than `data:` with a colon. */
  #parseField(text: string, start: number, end: number): void {
    const first = text.charCodeAt(start);
    if (first === COLON) {
      // [spec] a line starting with a colon is a comment.
      if (this.#onComment !== undefined) this.#onComment(text.slice(valueStart(text, start + 1, end), end));
      return;
    }
    let colon = start + 1;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    const field = knownField(text, start, colon - start);
    // [spec] any other field is ignored.
    if (field === OTHER) return;
    // [spec] the field name is up to the first colon; with no colon, the whole line, and the value is empty.
    const valueAt = colon < end ? valueStart(text, colon + 1, end) : end;
    if (field === DATA) this.#onData(text.slice(valueAt, end));
    else if (field === EVENT) this.#onEventType(text, valueAt, end);
    else if (field === ID) this.#onId(text, valueAt, end);
    else this.#onRetryField(text.slice(valueAt, end));
  }

  /** A `data` line the fast path did not take (no colon): its value is empty. */
  #onData(value: string): void {
    if (this.#droppingEvent) return;
    // [spec] data lines are joined by LF (appending value and LF, then removing the final LF).
    this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
    this.#hasData = true;
    if (this.#data.length > this.#maxEventSize) this.#dropEvent();
  }

  #dropEvent(): void {
    this.#clearEvent();
    this.#overflow();
  }

  #onEventType(text: string, start: number, end: number): void {
    // Streams repeat a handful of event types: reuse the last string rather than allocate one per event.
    const last = this.#eventTypeCache;
    if (end - start === last.length && text.startsWith(last, start)) {
      this.#eventType = last;
      return;
    }
    this.#eventType = this.#eventTypeCache = text.slice(start, end);
  }

  #onId(text: string, start: number, end: number): void {
    // [spec] an id containing U+0000 NULL is ignored.
    for (let i = start; i < end; i++) if (text.charCodeAt(i) === 0) return;
    this.#idBuffer = text.slice(start, end);
  }

  #onRetryField(value: string): void {
    // [spec] retry is used only when the value is all ASCII digits.
    if (value.length === 0 || !/^[0-9]+$/.test(value)) return;
    this.#onRetry?.(Number.parseInt(value, 10));
  }

  #dispatch(): void {
    // [spec] the last event ID is set first, even when no event is dispatched.
    this.#lastEventId = this.#idBuffer;
    const dropped = this.#droppingEvent;
    this.#droppingEvent = false;
    if (!this.#hasData || dropped) {
      // [spec] with an empty data buffer nothing is dispatched; buffers are reset.
      this.#clearEvent();
      return;
    }
    // [spec] the type is `message` unless an `event:` line set a non-empty one.
    const event: ParsedEvent = {
      type: this.#eventType === '' ? 'message' : this.#eventType,
      data: this.#data,
      lastEventId: this.#lastEventId,
    };
    this.#clearEvent();
    this.#onEvent?.(event);
  }

  #clearEvent(): void {
    this.#data = '';
    this.#hasData = false;
    this.#eventType = '';
  }

  #overflow(): void {
    if (this.#droppingEvent) return;
    this.#droppingEvent = true;
    const error = new ParseError(
      'event-too-large',
      `An event exceeded maxEventSize (${this.#maxEventSize} bytes) and was dropped; parsing resumes with the next event. ` +
        'Raise maxEventSize if events this large are expected.',
    );
    if (this.#onError !== undefined) this.#onError(error);
    else this.#deferredError ??= error;
  }
}

const OTHER = 0;
const DATA = 1;
const EVENT = 2;
const ID = 3;
const RETRY = 4;

/** Which of the four fields the name at `start` is, compared in place without slicing. */
function knownField(text: string, start: number, length: number): number {
  switch (text.charCodeAt(start)) {
    case 0x64: // d
      return length === 4 && text.startsWith('data', start) ? DATA : OTHER;
    case 0x65: // e
      return length === 5 && text.startsWith('event', start) ? EVENT : OTHER;
    case 0x69: // i
      return length === 2 && text.charCodeAt(start + 1) === 0x64 ? ID : OTHER;
    case 0x72: // r
      return length === 5 && text.startsWith('retry', start) ? RETRY : OTHER;
    default:
      return OTHER;
  }
}

/** Whether the line is `data:` followed by its value (the common case, checked in place). */
function isDataField(text: string, start: number, end: number): boolean {
  return (
    end - start > 4 &&
    text.charCodeAt(start + 4) === COLON &&
    text.charCodeAt(start) === 0x64 &&
    text.charCodeAt(start + 1) === 0x61 &&
    text.charCodeAt(start + 2) === 0x74 &&
    text.charCodeAt(start + 3) === 0x61
  );
}

/** [spec] one leading space after the colon is not part of the value. */
function valueStart(text: string, start: number, end: number): number {
  return start < end && text.charCodeAt(start) === SPACE ? start + 1 : start;
}

function lastLineEnd(bytes: Uint8Array, start: number): number {
  for (let i = bytes.length - 1; i >= start; i--) {
    const byte = bytes[i];
    if (byte === LF || byte === CR) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
