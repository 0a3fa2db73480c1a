/**
 * createParser with eventsource-parser's API, on Spout's line parser (../line-parser.ts): this
 * file only keeps the unfinished line of text between chunks, and maps LineParser's blocks and
 * ignored fields onto eventsource-parser's callbacks. Every field is parsed by LineParser, as for
 * `@spout/protocol`'s own createParser; the differences from eventsource-parser are where it is
 * not spec-exact (docs/migrating.md, "From eventsource-parser").
 */
import { LineParser } from '../line-parser.ts';
import { ParseError } from './errors.ts';
import type { EventSourceParser, ParserConfig } from './types.ts';

const LF = 0x0a;
const CR = 0x0d;
const BOM = 0xfeff;

/**
 * The id buffer's value for "no id in this block". An id containing NUL is ignored, so no stream
 * can set this one.
 */
const NO_ID = '\0';

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

class TextParser {
  readonly #lines: LineParser;
  readonly #maxBufferSize: number | undefined;
  readonly #onError: ParserConfig['onError'];
  /** Text of the unfinished line. */
  #pending = '';
  /** Until a non-empty chunk arrives, a leading BOM may still come. */
  #atStreamStart = true;
  /** The previous chunk ended with CR: a LF starting this one belongs to it. */
  #afterCR = false;
  /** The buffer limit was passed: feed() throws until reset(). */
  #terminated = false;

  constructor(config: ParserConfig) {
    const { onEvent, onId, onRetry, onComment, onError, maxBufferSize } = config;
    this.#maxBufferSize = maxBufferSize;
    this.#onError = onError;
    const onBlock = (data: string, hasData: boolean, type: string, id: string): void => {
      if (this.#terminated) return;
      const blockId = id === NO_ID ? undefined : id;
      if (blockId !== undefined) onId?.(blockId);
      if (hasData) onEvent?.({ id: blockId, event: type === '' ? undefined : type, data });
    };
    const onIgnoredField = (field: string, value: string, line: string): void => {
      if (this.#terminated || onError === undefined) return;
      onError(
        field === 'retry'
          ? new ParseError(`Invalid \`retry\` value: "${value}"`, { type: 'invalid-retry', value, line })
          : new ParseError(`Unknown field "${field.length > 20 ? `${field.slice(0, 20)}…` : field}"`, {
              type: 'unknown-field',
              field,
              value,
              line,
            }),
      );
    };
    this.#lines = new LineParser(
      {
        onComment: onComment && ((text) => this.#terminated || onComment(text)),
        onRetry: onRetry && ((milliseconds) => this.#terminated || onRetry(milliseconds)),
        // LineParser's own limit is the data part of maxBufferSize; passing it ends the stream here.
        onError: () => this.#terminate(),
        lastEventId: NO_ID,
      },
      maxBufferSize ?? Number.POSITIVE_INFINITY,
      { onBlock, onIgnoredField },
    );
  }

  feed(chunk: string): void {
    if (this.#terminated) {
      throw new Error(
        'Cannot feed parser: it was terminated after exceeding the configured max buffer size. Call `reset()` to resume parsing.',
      );
    }
    if (this.#atStreamStart) {
      if (chunk === '') return;
      this.#atStreamStart = false;
      // [spec] one leading U+FEFF BYTE ORDER MARK is ignored, only at the start of the stream.
      if (chunk.charCodeAt(0) === BOM) chunk = chunk.slice(1);
    }
    let start = 0;
    if (this.#afterCR && chunk !== '') {
      this.#afterCR = false;
      // [spec] CRLF is one line end, even when split across two chunks.
      if (chunk.charCodeAt(0) === LF) start = 1;
    }
    const end = lastLineEnd(chunk);
    if (end < start) {
      this.#hold(start === 0 ? chunk : chunk.slice(start));
      return;
    }
    const lines = start === 0 && end === chunk.length - 1 ? chunk : chunk.slice(start, end + 1);
    const text = this.#pending === '' ? lines : this.#pending + lines;
    this.#pending = '';
    this.#lines.parse(text);
    // Set after parsing: a callback may feed the parser, and this chunk's last character is what follows it.
    this.#afterCR = end === chunk.length - 1 && chunk.charCodeAt(end) === CR;
    if (end + 1 < chunk.length) this.#hold(chunk.slice(end + 1));
  }

  reset(options: { consume?: boolean } = {}): void {
    // The unfinished line as if a line end followed: it may be reported, but no event is dispatched.
    if (options.consume === true && this.#pending !== '') this.#lines.parse(`${this.#pending}\n`);
    this.#pending = '';
    this.#atStreamStart = true;
    this.#afterCR = false;
    this.#terminated = false;
    this.#lines.reset(undefined);
  }

  /** Keeps the start of an unfinished line, within maxBufferSize. */
  #hold(text: string): void {
    if (this.#terminated) return;
    this.#pending += text;
    const max = this.#maxBufferSize;
    if (max !== undefined && this.#pending.length + this.#lines.dataLength > max) this.#terminate();
  }

  #terminate(): void {
    if (this.#terminated) return;
    this.#terminated = true;
    this.#pending = '';
    this.#afterCR = false;
    this.#lines.reset(undefined);
    this.#onError?.(
      new ParseError(`Buffered data exceeded max buffer size of ${this.#maxBufferSize} characters`, {
        type: 'max-buffer-size-exceeded',
      }),
    );
  }
}

/**
 * The last CR or LF in `text`, or -1. Scanned backwards in place: it is usually within a line of the
 * end, and String.prototype.lastIndexOf costs a call into the runtime (measured: a third of the time
 * of 8-character chunks).
 */
function lastLineEnd(text: string): number {
  let i = text.length - 1;
  while (i >= 0) {
    const code = text.charCodeAt(i);
    if (code === LF || code === CR) break;
    i--;
  }
  return i;
}
