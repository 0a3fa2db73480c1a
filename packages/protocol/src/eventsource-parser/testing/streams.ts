/** Generated event streams for the compatible API's property tests (fast-check arbitraries). */
import fc from 'fast-check';

/** Field names the spec knows, near misses, and other names, including none (a comment). */
const name = fc.constantFrom('data', 'event', 'id', 'retry', 'dat', 'Data', 'ids', 'x', '', ' data');
/** Characters that matter to a parser: separators, line ends, NUL, a BOM, digits, wide characters. */
const character = fc.constantFrom(
  'a',
  ' ',
  ':',
  '0',
  '7',
  '\0',
  '\uFEFF',
  'é',
  '東',
  '😀',
  '\r',
  '\n',
  '\r\n',
);
export const value = fc.array(character, { maxLength: 8 }).map((chars) => chars.join(''));
const line = fc
  .tuple(name, fc.constantFrom(':', ': ', ''), value, fc.constantFrom('\n', '\r', '\r\n', '\n\n', '\r\n\r\n'))
  .map(([field, separator, text, end]) => field + separator + text + end);
export const stream = fc
  .array(line, { maxLength: 12 })
  .map((lines) => lines.join(''))
  // Documented difference: eventsource-parser also strips the UTF-8 bytes of a BOM read as Latin-1.
  .filter((text) => !text.startsWith('\xEF'));
