/**
 * createParser with eventsource-parser's API. Its users have text, not bytes, so this parser works
 * on the text directly, with the spec rules of Spout's LineParser (../line-parser.ts) but its own
 * loop: complete lines are parsed in place in each chunk (no slice of the chunk's lines, no joining
 * them to the unfinished line), and only the unfinished line is kept between chunks. The
 * differences from eventsource-parser are where it is not spec-exact (docs/migrating.md, "From
 * eventsource-parser").
 *
 * As in LineParser, the block being built lives in local variables while a chunk is parsed; it is
 * written back around each callback (which may feed or reset the parser) and at the end.
 *
 * The loop and the field helpers it shares with LineParser read characters of the chunks only, never
 * of the unfinished line or of joined strings (joinedLine in other-line.ts handles those): the engine
 * reads a character with no lookup while the strings it has seen there are of few kinds (flat, one or
 * two bytes a character), and with sliced and joined strings as well the lookups made every read
 * slower (64 B chunks 1.36x -> 1.58x of eventsource-parser, same run, once they were kept apart).
 * No read goes past the text's last line end, `last`: a read out of range returns NaN, but once one
 * has, the engine no longer inlines the reads of that call site (every read there became a call).
 *
 * Complete lines of 1024 characters or more, when they are mostly short (`id:`, `event:`, short data),
 * are parsed by windows.ts instead, where Node's Buffer can copy them into the WebAssembly line
 * scanner's memory, which finds their line ends (a whole 50 MB stream in one chunk: 75-78 -> 62-66 ms).
 */
import { isDataField, isEventField, isLineEnd, lineEndFrom, matches, valueStart } from '../line-fields.ts';
import { ParseError } from './errors.ts';
import { commentOrOtherLine, joinedLine } from './other-line.ts';
import type { EventSourceMessage, EventSourceParser, ParserConfig } from './types.ts';
import { MIN_WINDOWED, parseInWindows, type WindowTarget } from './windows.ts';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const BOM = 0xfeff;

/** Search state meaning "not searched yet"; -1 means "none left in this text". */
const STALE = -2;

/**
 * [spec] Where the line after the line end at `end` (the character `code`) starts: CRLF is one line
 * end. `last` is the text's last line end: nothing past it is read.
 */
function lineAfter(text: string, end: number, code: number, last: number): number {
  return code === CR && end < last && text.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
}

/**
 * Creates a parser with the API of eventsource-parser (v3 and v4): feed it text, get events,
 * retries, comments and errors through the callbacks.
 *
 * @example
 * const { feed } = createParser({ onEvent: (event) => console.log(event.event, event.data) });
 * feed('event: price\ndata: 42\n\n');
 * @public
 */
export function createParser(config: ParserConfig): EventSourceParser {
  if (typeof config === 'function') {
    throw new TypeError(
      '`config` must be an object, got a function instead. Did you mean `createParser({onEvent: fn})`?',
    );
  }
  const parser = new TextParser(config);
  return { feed: (chunk) => parser.feed(chunk), reset: (options) => parser.reset(options) };
}

/** The parser behind createParser; other-line.ts handles its rare and joined lines, windows.ts large chunks. */
class TextParser implements WindowTarget {
  readonly #onEvent: ParserConfig['onEvent'];
  readonly #onId: ParserConfig['onId'];
  readonly onComment: ParserConfig['onComment'];
  readonly onRetry: ParserConfig['onRetry'];
  readonly onError: ParserConfig['onError'];
  readonly maxBufferSize: number | undefined;
  /** Text of the unfinished line. */
  #pending = '';
  /** Until a non-empty chunk arrives, a leading BOM may still come. */
  #atStreamStart = true;
  /** The previous chunk ended with CR: a LF starting this one belongs to it. */
  #afterCR = false;
  /** The buffer limit was passed: feed() throws until reset(). */
  terminated = false;
  // The block being built (fields for the callbacks' sake; the loop works on locals).
  data = '';
  hasData = false;
  type = '';
  /** The id set in this block, if any. */
  id: string | undefined = undefined;
  /** The last event type seen: compared in place before a new string is made. */
  typeCache = '';
  windowSkips = 0;

  constructor(config: ParserConfig) {
    this.#onEvent = config.onEvent;
    this.#onId = config.onId;
    this.onComment = config.onComment;
    this.onRetry = config.onRetry;
    this.onError = config.onError;
    this.maxBufferSize = config.maxBufferSize;
  }

  feed(chunk: string): void {
    if (this.terminated) {
      throw new Error(
        'Cannot feed parser: it was terminated after exceeding the configured max buffer size. Call `reset()` to resume parsing.',
      );
    }
    const length = chunk.length;
    let position = 0;
    if (this.#atStreamStart) {
      if (length === 0) return;
      this.#atStreamStart = false;
      // [spec] one leading U+FEFF BYTE ORDER MARK is ignored, only at the start of the stream.
      if (chunk.charCodeAt(0) === BOM) position = 1;
    }
    if (this.#afterCR && position < length) {
      this.#afterCR = false;
      // [spec] CRLF is one line end, even when split across two chunks.
      if (chunk.charCodeAt(position) === LF) position++;
    }
    // The last line end, scanned backwards in place: it is usually within a line of the end
    // (String.prototype.lastIndexOf is a call into the runtime).
    let last = length - 1;
    while (last >= position && !isLineEnd(chunk.charCodeAt(last))) last--;
    if (last < position) {
      this.#hold(position === 0 ? chunk : chunk.slice(position));
      return;
    }
    if (this.#pending !== '') {
      // The unfinished line ends at the chunk's first line end: only that line is joined, out of this loop.
      const end = lineEndFrom(chunk, position);
      const pending = this.#pending;
      this.#pending = '';
      joinedLine(this, pending, chunk.slice(position, end));
      if (this.terminated) return;
      position = lineAfter(chunk, end, chunk.charCodeAt(end), last);
    }
    if (
      position <= last &&
      (last + 1 - position < MIN_WINDOWED || !parseInWindows(this, chunk, position, last))
    ) {
      this.parseText(chunk, position, last);
    }
    // Set after parsing: a callback may feed the parser, and this chunk's last character is what follows it.
    this.#afterCR = last === length - 1 && chunk.charCodeAt(last) === CR;
    if (last + 1 < length) this.#hold(chunk.slice(last + 1));
  }

  reset(options: { consume?: boolean } = {}): void {
    // The unfinished line as if a line end followed: it may be reported, but no event is dispatched.
    if (options.consume === true && this.#pending !== '') {
      const pending = this.#pending;
      this.#pending = '';
      joinedLine(this, pending, '');
    }
    this.#pending = '';
    this.#atStreamStart = true;
    this.#afterCR = false;
    this.terminated = false;
    this.#clear();
  }

  /**
   * Parses the complete lines of `text` from `position`; `last` is the line end of the last one.
   * Scans for a line end stop at `last` at the latest, so they need no bounds check.
   */
  parseText(text: string, position: number, last: number): void {
    let data = this.data;
    let hasData = this.hasData;
    let type = this.type;
    let id = this.id;
    // Cached positions of the next LF and CR, each searched for once per text; a text with no CR
    // is searched for one once.
    let nextLF = STALE;
    let nextCR = STALE;
    while (position <= last) {
      const first = text.charCodeAt(position);
      if (first === LF || first === CR) {
        // [spec] a blank line dispatches the block; the data, type and id buffers start again.
        position = lineAfter(text, position, first, last);
        this.dispatch(hasData, data, type, id);
      } else if (
        first === 0x69 &&
        text.charCodeAt(position + 1) === 0x64 &&
        text.charCodeAt(position + 2) === COLON
      ) {
        const start = valueStart(text, position + 3);
        let end = start;
        let code = text.charCodeAt(end);
        while (code > CR || (code !== LF && code !== CR && code !== 0)) code = text.charCodeAt(++end);
        // [spec] an id containing U+0000 NULL is ignored.
        if (code !== 0) id = text.slice(start, end);
        else {
          end = lineEndFrom(text, end);
          code = text.charCodeAt(end);
        }
        position = lineAfter(text, end, code, last);
        continue;
      } else if (first === 0x65 && isEventField(text, position)) {
        const start = valueStart(text, position + 6);
        const cached = this.typeCache;
        let end = start + cached.length;
        let code = end <= last ? text.charCodeAt(end) : 0;
        if ((code === LF || code === CR) && matches(text, start, cached)) type = cached;
        else {
          end = lineEndFrom(text, start);
          code = text.charCodeAt(end);
          type = this.typeCache = text.slice(start, end);
        }
        position = lineAfter(text, end, code, last);
        continue;
      } else {
        // Lines of unknown length: the nearer of the next LF and the next CR ends them.
        if (nextLF < position && nextLF !== -1) nextLF = text.indexOf('\n', position);
        if (nextCR < position && nextCR !== -1) nextCR = text.indexOf('\r', position);
        const end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
        const start = position;
        // nextLF is the first LF from this line on: CRLF when it follows the CR.
        position = nextCR === end && nextLF === end + 1 ? end + 2 : end + 1;
        if (first === 0x64 && isDataField(text, start)) {
          // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
          const value = text.slice(valueStart(text, start + 5), end);
          const next = position <= last ? text.charCodeAt(position) : 0;
          if (!hasData && (next === LF || next === CR) && this.maxBufferSize === undefined) {
            // A one-line event, its blank line at once: dispatched with its value, as the blank line would.
            position = lineAfter(text, position, next, last);
            this.dispatch(true, value, type, id);
          } else {
            data = hasData ? `${data}\n${value}` : value;
            hasData = true;
            // Data is a slice or a join: its length is read only under a limit (same reason as above).
            if (this.maxBufferSize === undefined || data.length <= this.maxBufferSize) continue;
            this.terminate();
            return;
          }
        } else {
          this.save(data, hasData, type, id);
          commentOrOtherLine(this, text, start, end);
        }
      }
      // A callback may have fed, reset or terminated the parser: go on from the state it left.
      if (this.terminated) return;
      data = this.data;
      hasData = this.hasData;
      type = this.type;
      id = this.id;
    }
    this.save(data, hasData, type, id);
  }

  /** [spec] dispatches the block at a blank line: the data, type and id buffers start again. */
  dispatch(hasData: boolean, data: string, type: string, id: string | undefined): void {
    this.#clear();
    if (id !== undefined) this.#onId?.(id);
    if (hasData && this.#onEvent !== undefined) {
      const event: EventSourceMessage = { id, event: type === '' ? undefined : type, data };
      this.#onEvent(event);
    }
  }

  /** Appends a data line's value to the block's data (the loop's locals saved). */
  appendData(value: string): void {
    this.data = this.hasData ? `${this.data}\n${value}` : value;
    this.hasData = true;
    if (this.maxBufferSize !== undefined && this.data.length > this.maxBufferSize) this.terminate();
  }

  save(data: string, hasData: boolean, type: string, id: string | undefined): void {
    this.data = data;
    this.hasData = hasData;
    this.type = type;
    this.id = id;
  }

  #clear(): void {
    this.save('', false, '', undefined);
  }

  /** Keeps the start of an unfinished line, within maxBufferSize. */
  #hold(text: string): void {
    if (this.terminated) return;
    this.#pending += text;
    const max = this.maxBufferSize;
    if (max !== undefined && this.#pending.length + this.data.length > max) this.terminate();
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.#pending = '';
    this.#afterCR = false;
    this.#clear();
    this.onError?.(
      new ParseError(`Buffered data exceeded max buffer size of ${this.maxBufferSize} characters`, {
        type: 'max-buffer-size-exceeded',
      }),
    );
  }
}
