/**
 * The rare lines of the eventsource-parser compatible API: fields other than `data:`, `id:` and `event:`, `retry`,
 * and a line completed across chunks.
 */
import { fieldNameEnd, valueStart } from '../line-fields.ts';
import { ParseError } from './errors.ts';
import type { ParserCallbacks } from './types.ts';

/** What these lines change and report: the parser's block being built and its callbacks (parse.ts's TextParser). */
export interface LineTarget {
  data: string;
  hasData: boolean;
  type: string;
  id: string | undefined;
  readonly onComment: ParserCallbacks['onComment'];
  readonly onRetry: ParserCallbacks['onRetry'];
  readonly onError: ParserCallbacks['onError'];
  /** Appends a data line's value to the block's data, within maxBufferSize. */
  appendData(value: string): void;
}

const SPACE = 0x20;
const COLON = 0x3a;

/**
 * A comment or a field other than `data:`, `id:` and `event:`; `end` is its line end. Works on the
 * parser's fields (the loop saved its locals before).
 */
export function commentOrOtherLine(parser: LineTarget, text: string, start: number, end: number): void {
  // [spec] a line starting with a colon is a comment.
  if (text.charCodeAt(start) === COLON) parser.onComment?.(text.slice(valueStart(text, start + 1), end));
  else otherLine(parser, text, start, end);
}

/**
 * A non-empty line other than a comment, `data:`, `id:` and `event:`; `end` is its line end.
 * Works on the parser's fields (the loop saved its locals before).
 */
export function otherLine(parser: LineTarget, text: string, start: number, end: number): void {
  // [spec] with no colon, the value is empty.
  const nameEnd = fieldNameEnd(text, start, end);
  const value = nameEnd === end ? '' : text.slice(valueStart(text, nameEnd + 1), end);
  field(parser, text.slice(start, nameEnd), value, text, start, end);
}

/**
 * The unfinished line held from earlier chunks, completed by `rest` (the next chunk up to its line end).
 * Works on the parser's fields. These strings are joined or sliced, not the chunks the parser's loop reads, so
 * they are read here with string methods only: the loop's character reads keep seeing only the chunks' kind of
 * string, which the engine then reads without a lookup.
 */
export function joinedLine(parser: LineTarget, pending: string, rest: string): void {
  if (pending.length > 5 && pending.startsWith('data:')) {
    // Most unfinished lines are data: their value is joined without reading the line again.
    parser.appendData(pending.slice(pending.charCodeAt(5) === SPACE ? 6 : 5) + rest);
    return;
  }
  const line = pending + rest;
  const colon = line.indexOf(':');
  // [spec] one leading space after the colon is not part of the value.
  const value = colon === -1 ? '' : line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
  // [spec] a line starting with a colon is a comment.
  if (colon === 0) parser.onComment?.(value);
  else field(parser, colon === -1 ? line : line.slice(0, colon), value, line, 0, line.length);
}

/** [spec] processes the field `name` with `value`; the line is text[start, end), for errors. */
function field(
  parser: LineTarget,
  name: string,
  value: string,
  text: string,
  start: number,
  end: number,
): void {
  switch (name) {
    case 'data':
      parser.appendData(value);
      return;
    case 'event':
      parser.type = value;
      return;
    case 'id':
      // [spec] an id containing U+0000 NULL is ignored.
      if (!value.includes('\0')) parser.id = value;
      return;
    case 'retry':
      // [spec] retry is used only when the value is all ASCII digits.
      if (/^[0-9]+$/.test(value)) parser.onRetry?.(Number.parseInt(value, 10));
      else
        parser.onError?.(
          new ParseError(`Invalid \`retry\` value: "${value}"`, {
            type: 'invalid-retry',
            value,
            line: text.slice(start, end),
          }),
        );
      return;
    default:
      // [spec] any other field is ignored.
      parser.onError?.(
        new ParseError(`Unknown field "${name.length > 20 ? `${name.slice(0, 20)}…` : name}"`, {
          type: 'unknown-field',
          field: name,
          value,
          line: text.slice(start, end),
        }),
      );
  }
}
