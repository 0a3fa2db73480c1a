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
 *
 * parseScanned is the same loop over text whose line structure the WebAssembly line scanner
 * (scanner/line-scanner.ts) already found: no line is searched for its end and no character is
 * read from the text; field names are matched on the UTF-8 bytes, four at a time, and the text is
 * only sliced at the UTF-16 offsets the scanner counted.
 */

import { EventTypeCache } from './event-type-cache.ts';
import {
  DATA_WORD,
  EVEN_WORD,
  fieldNameEnd,
  holdsNul,
  ID_COLON_WORD,
  idEnd,
  isDataField,
  isEventField,
  isIdField,
  isLineEnd,
  lineEndFrom,
  matches,
  T_COLON_HALF,
  valueStart,
} from './line-fields.ts';
import { ParseError } from './parse-error.ts';
import type { ParsedEvent, ParserOptions } from './parser-types.ts';
import type { LineScanner } from './scanner/line-scanner.ts';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** Search state meaning "not searched yet"; -1 means "none left in this text". */
const STALE = -2;

/** Builds events from complete lines; internal to the package (createParser is the public face). */
export class LineParser {
  readonly #onEvent: ((event: ParsedEvent) => void) | undefined;
  readonly #onComment: ((text: string) => void) | undefined;
  readonly #onRetry: ((milliseconds: number) => void) | undefined;
  readonly #onError: ((error: ParseError) => void) | undefined;
  readonly #maxEventSize: number;

  #data = '';
  #hasData = false;
  #eventType = '';
  /** The last event type seen: compared in place before a new string is made. */
  #eventTypeCache = '';
  #idBuffer: string;
  #lastEventId: string;
  /** Event types parseScanned made strings of, found again by their bytes. */
  readonly #types = new EventTypeCache();
  /** The current event overflowed: it will not be dispatched. */
  #dropping = false;
  /** A valid `retry:` of the event being built, reported with it (the spec applies it at once either way). */
  #retry: number | undefined;
  #deferredError: ParseError | undefined;

  constructor(options: ParserOptions, maxEventSize: number) {
    this.#onEvent = options.onEvent;
    this.#onComment = options.onComment;
    this.#onRetry = options.onRetry;
    this.#onError = options.onError;
    this.#maxEventSize = maxEventSize;
    this.#lastEventId = options.lastEventId ?? '';
    this.#idBuffer = this.#lastEventId;
  }

  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** UTF-16 code units of data held for the event being built. */
  get dataLength(): number {
    return this.#data.length;
  }

  reset(lastEventId: string | undefined): void {
    if (lastEventId !== undefined) this.#lastEventId = lastEventId;
    this.#idBuffer = this.#lastEventId;
    this.#data = '';
    this.#hasData = false;
    this.#eventType = '';
    this.#dropping = false;
    this.#retry = undefined;
  }

  /** The error to throw from feed() when there is no onError callback, once. */
  takeDeferredError(): ParseError | undefined {
    const error = this.#deferredError;
    this.#deferredError = undefined;
    return error;
  }

  /** Drops the event being built and reports it, once per event. */
  overflow(): void {
    this.#data = '';
    this.#hasData = false;
    if (this.#dropping) return;
    this.#dropping = true;
    const error = new ParseError(
      'event-too-large',
      `An event exceeded maxEventSize (${this.#maxEventSize} bytes) and was dropped; parsing resumes with the next event. ` +
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
    let data = this.#data;
    let hasData = this.#hasData;
    let type = this.#eventType;
    let id = this.#idBuffer;
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
        // The callback may reset or feed the parser: the loop goes on from the state it left.
        this.#dispatch(data, hasData, type, id);
        data = this.#data;
        hasData = this.#hasData;
        type = this.#eventType;
        id = this.#idBuffer;
        continue;
      }
      let end: number;
      if (first === 0x69 && isIdField(text, position)) {
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
        // Lines of unknown length: the nearer of the next LF and the next CR ends them.
        if (nextLF < position && nextLF !== -1) nextLF = text.indexOf('\n', position);
        if (nextCR < position && nextCR !== -1) nextCR = text.indexOf('\r', position);
        end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
        if (first === 0x64 && isDataField(text, position)) {
          if (!this.#dropping) {
            // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
            const value = text.slice(valueStart(text, position + 5), end);
            data = hasData ? `${data}\n${value}` : value;
            hasData = true;
            if (data.length > this.#maxEventSize) {
              // onError may call back into the parser, so the event is saved around it.
              this.#save(data, hasData, type, id);
              this.overflow();
              data = this.#data;
              hasData = this.#hasData;
              type = this.#eventType;
              id = this.#idBuffer;
            }
          }
        } else {
          // Comments and retry may call back, so the event is saved around them.
          this.#save(data, hasData, type, id);
          this.#otherLine(text, position, end);
          data = this.#data;
          hasData = this.#hasData;
          type = this.#eventType;
          id = this.#idBuffer;
        }
      }
      // [spec] lines end with CRLF, a lone LF or a lone CR.
      position = hasCR && text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
    }
    this.#save(data, hasData, type, id);
  }

  /**
   * Parses text made only of complete lines, decoded from the bytes in `scanner.input`, whose
   * `count` line ends the scanner just found. Lines are classified on the bytes; the text is only
   * sliced.
   */
  parseScanned(text: string, scanner: LineScanner, count: number): void {
    const bytes = scanner.input;
    const view = scanner.view;
    const ends = scanner.ends;
    const mayHoldNul = scanner.sawNul();
    let data = this.#data;
    let hasData = this.#hasData;
    let type = this.#eventType;
    let id = this.#idBuffer;
    let next = 0;
    let next16 = 0;
    const last = count * 2;
    for (let k = 0; k < last; k += 2) {
      const start = next;
      const start16 = next16;
      const end = ends[k] as number;
      const end16 = ends[k + 1] as number;
      // [spec] lines end with CRLF, a lone LF or a lone CR. (The byte after the input is 0.)
      next = end + 1;
      next16 = end16 + 1;
      if (bytes[end] === CR && bytes[next] === LF) {
        next++;
        next16++;
      }
      // Field names are matched on the line's first four bytes, where a line end fails every
      // comparison: no read decides past the line. Names and colons are ASCII, so byte and
      // code-unit distances agree up to the value.
      const word = view.getUint32(start, true);
      if (start === end) {
        this.#dispatch(data, hasData, type, id);
      } else if (word === DATA_WORD && bytes[start + 4] === COLON) {
        if (this.#dropping) continue;
        // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
        const value = text.slice(start16 + (bytes[start + 5] === SPACE ? 6 : 5), end16);
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        if (data.length <= this.#maxEventSize) continue;
        this.#save(data, hasData, type, id);
        this.overflow();
      } else if ((word & 0xffffff) === ID_COLON_WORD) {
        const skip = bytes[start + 3] === SPACE ? 4 : 3;
        // [spec] an id containing U+0000 NULL is ignored.
        if (!mayHoldNul || !holdsNul(bytes, start + skip, end)) id = text.slice(start16 + skip, end16);
        continue;
      } else if (word === EVEN_WORD && view.getUint16(start + 4, true) === T_COLON_HALF) {
        const skip = bytes[start + 6] === SPACE ? 7 : 6;
        type =
          this.#types.find(bytes, start + skip, end) ??
          this.#types.add(bytes, start + skip, end, text.slice(start16 + skip, end16));
        continue;
      } else if ((word & 0xff) === COLON) {
        this.#save(data, hasData, type, id);
        // [spec] a line starting with a colon is a comment.
        this.#onComment?.(text.slice(start16 + (bytes[start + 1] === SPACE ? 2 : 1), end16));
      } else {
        this.#save(data, hasData, type, id);
        this.#otherLine(text, start16, end16);
      }
      // The line called back (an event, an overflow report, a comment, a retry), which may have
      // reset or fed the parser: go on from the state the callback left.
      data = this.#data;
      hasData = this.#hasData;
      type = this.#eventType;
      id = this.#idBuffer;
    }
    this.#save(data, hasData, type, id);
  }

  /**
   * [spec] An empty line: dispatches the event built in the loop's locals (for both loops).
   * Afterwards the fields hold the state to go on from: the callback may reset or feed the parser.
   */
  #dispatch(data: string, hasData: boolean, type: string, id: string): void {
    // [spec] the last event ID is set first, even with no data; the data and type buffers are reset.
    this.#lastEventId = id;
    this.#save('', false, '', id);
    const retry = this.#retry;
    if (retry !== undefined) this.#retry = undefined;
    if (!hasData || this.#dropping) {
      // [spec] with an empty data buffer nothing is dispatched.
      this.#dropping = false;
      return;
    }
    const event: ParsedEvent = { type: type === '' ? 'message' : type, data, lastEventId: id };
    // Only events that had one get the property, so the usual event keeps its shape.
    if (retry !== undefined) event.retry = retry;
    this.#onEvent?.(event);
  }

  #save(data: string, hasData: boolean, type: string, id: string): void {
    this.#data = data;
    this.#hasData = hasData;
    this.#eventType = type;
    this.#idBuffer = id;
  }

  /** A non-empty line other than `data:`, `id:` and `event:` with a colon. */
  #otherLine(text: string, start: number, end: number): void {
    if (text.charCodeAt(start) === COLON) {
      // [spec] a line starting with a colon is a comment.
      this.#onComment?.(text.slice(valueStart(text, start + 1), end));
      return;
    }
    // [spec] with no colon, the value is empty.
    const nameEnd = fieldNameEnd(text, start, end);
    const value = nameEnd === end ? '' : text.slice(valueStart(text, nameEnd + 1), end);
    switch (text.slice(start, nameEnd)) {
      case 'data':
        if (this.#dropping) return;
        this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
        this.#hasData = true;
        if (this.#data.length > this.#maxEventSize) this.overflow();
        return;
      case 'event':
        this.#eventType = value;
        return;
      case 'id':
        // [spec] an id containing U+0000 NULL is ignored.
        if (!value.includes('\0')) this.#idBuffer = value;
        return;
      case 'retry':
        // [spec] retry is used only when the value is all ASCII digits.
        if (/^[0-9]+$/.test(value)) {
          this.#retry = Number.parseInt(value, 10);
          this.#onRetry?.(this.#retry);
        }
        return;
      default:
      // [spec] any other field is ignored.
    }
  }
}
