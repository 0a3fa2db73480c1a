/** The rare lines of the eventsource-parser compatible API: fields other than `data:`, `id:` and `event:`, and `retry`. */
import { fieldNameEnd, valueStart } from '../line-fields.ts';
import { ParseError } from './errors.ts';
import type { TextParser } from './parse.ts';

/**
 * A non-empty line other than a comment, `data:`, `id:` and `event:`; `end` is its line end.
 * Works on the parser's fields (the loop saved its locals before).
 */
export function otherLine(parser: TextParser, text: string, start: number, end: number): void {
  // [spec] with no colon, the value is empty.
  const nameEnd = fieldNameEnd(text, start, end);
  const value = nameEnd === end ? '' : text.slice(valueStart(text, nameEnd + 1), end);
  const name = text.slice(start, nameEnd);
  switch (name) {
    case 'data':
      parser.data = parser.hasData ? `${parser.data}\n${value}` : value;
      parser.hasData = true;
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
