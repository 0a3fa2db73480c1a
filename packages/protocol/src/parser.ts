/**
 * Incremental parser for `text/event-stream` (WHATWG HTML, "Server-sent events",
 * 9.2.6 "Interpreting an event stream").
 *
 * Design: bytes are scanned only to find the last line end of each chunk. The
 * complete lines are then decoded with one TextDecoder call and parsed as a
 * string (line-parser.ts); the unfinished tail stays as bytes until its line
 * ends. Cutting at a line end never splits a UTF-8 sequence (CR and LF are
 * ASCII), so decoding per piece equals decoding the whole stream, and tiny
 * chunks cost no decoder call at all until a line completes. Large chunks are
 * decoded and parsed a window at a time, so the text being parsed stays in cache.
 * From 256 bytes of complete lines, the WebAssembly line scanner (scanner/) also
 * reads the bytes, so that the line loop needs no search in the decoded text.
 */

import { LineParser } from './line-parser.ts';
import type { EventStreamParser, ParserOptions } from './parser-types.ts';
import { scannerFor, scanPolicy } from './scanner/line-scanner.ts';

export type { EventStreamParser, ParsedEvent, ParserOptions } from './parser-types.ts';

/** Default for {@link ParserOptions.maxEventSize}. */
export const DEFAULT_MAX_EVENT_SIZE = 4 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
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

/** Largest piece of input decoded and parsed at once (bytes); big enough to amortise each decoder call. */
const WINDOW = 32 * 1024;

/** Copies up to this many bytes are done in a loop: below it, a loop beats a view plus a native copy (~50 ns). */
const SMALL_COPY = 32;

class Parser implements EventStreamParser {
  readonly #lines: LineParser;
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

  constructor(options: ParserOptions) {
    const max = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
    if (!(Number.isSafeInteger(max) && max > 0)) {
      throw new RangeError(`maxEventSize must be a positive integer number of bytes, got ${String(max)}.`);
    }
    this.#maxEventSize = max;
    this.#lines = new LineParser(options, max);
  }

  get lastEventId(): string {
    return this.#lines.lastEventId;
  }

  reset(options: { lastEventId?: string } = {}): void {
    this.#pendingLength = 0;
    this.#atStreamStart = true;
    this.#afterCR = false;
    this.#skippingLine = false;
    this.#lines.reset(options.lastEventId);
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
    const error = this.#lines.takeDeferredError();
    if (error !== undefined) throw error;
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
    let from = start;
    if (this.#pendingLength !== 0) {
      // The unfinished line is completed with (the first window of) the complete lines, copied behind it.
      const cut = end + 1 - start > WINDOW ? windowCut(bytes, start, end) : end;
      this.#append(bytes, start, cut + 1);
      const lines = this.#pending.subarray(0, this.#pendingLength);
      this.#pendingLength = 0;
      this.#parseLines(lines);
      from = cut + 1;
    }
    while (end + 1 - from > WINDOW) {
      const cut = windowCut(bytes, from, end);
      this.#parseLines(bytes.subarray(from, cut + 1));
      from = cut + 1;
    }
    if (from <= end) this.#parseLines(bytes.subarray(from, end + 1));
    // Set after parsing: a callback may feed the parser, and this chunk's last byte is what follows it.
    this.#afterCR = end === bytes.length - 1 && bytes[end] === CR;
    if (end + 1 < bytes.length) this.#appendChecked(bytes, end + 1);
  }

  /** Decodes and parses complete lines; the line scanner finds their structure when it is worth a call. */
  #parseLines(bytes: Uint8Array): void {
    const scanner = bytes.length < scanPolicy.minBytes ? null : scannerFor(bytes.length);
    if (scanner === null) {
      this.#lines.parse(this.#decoder.decode(bytes));
      return;
    }
    const input = scanner.input;
    input.set(bytes);
    const count = scanner.scan(bytes.length);
    const text = this.#decoder.decode(bytes);
    // Invalid UTF-8 (the decoder's U+FFFD replacements would shift every offset) takes the JavaScript path.
    if (count < 0 || text.length !== scanner.units()) {
      this.#lines.parse(text);
      return;
    }
    scanner.busy = true;
    try {
      this.#lines.parseScanned(text, scanner, count);
    } finally {
      scanner.busy = false;
    }
  }

  #appendChecked(bytes: Uint8Array, start: number): void {
    if (this.#pendingLength + bytes.length - start + this.#lines.dataLength > this.#maxEventSize) {
      this.#pendingLength = 0;
      this.#skippingLine = true;
      this.#lines.overflow();
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
    const pending = this.#pending;
    if (end - start > SMALL_COPY) {
      pending.set(bytes.subarray(start, end), this.#pendingLength);
    } else {
      // A view and a native copy cost more than copying a few bytes one by one.
      for (let i = start, j = this.#pendingLength; i < end; i++, j++) pending[j] = bytes[i] as number;
    }
    this.#pendingLength = needed;
  }
}

/** The last LF of the window starting at `from`, or `end` when it has none. A cut after a LF never splits a CRLF. */
function windowCut(bytes: Uint8Array, from: number, end: number): number {
  const cut = bytes.lastIndexOf(LF, from + WINDOW - 1);
  return cut < from ? end : cut;
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
