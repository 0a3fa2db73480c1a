/**
 * The line-level parser over scanned input (WHATWG HTML 9.2.6, "Interpreting an event stream"):
 * the same event building as LineParser, but the line structure comes from the WebAssembly line
 * scanner (scanner/line-scanner.ts), so no line is searched for its end and no character is read
 * from the text: field names are matched on the UTF-8 bytes (four at a time), and the text is only
 * sliced at the UTF-16 offsets the scanner counted.
 */

import { EventTypeCache } from './event-type-cache.ts';
import { COLON, CR, LF, LineParser, SPACE } from './line-parser.ts';
import type { LineScanner } from './scanner/line-scanner.ts';

/** `data`, `id:`, `even` and `t:` as little-endian words, to match field names four bytes at a time. */
const DATA_WORD = 0x61746164;
const ID_COLON_WORD = 0x3a6469;
const EVEN_WORD = 0x6e657665;
const T_COLON_HALF = 0x3a74;

/** A LineParser that can also parse scanned input; internal to the package. */
export class ScanningLineParser extends LineParser {
  /** Event types made into strings, found again by their bytes. */
  readonly #types = new EventTypeCache();

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
    let data = this.data;
    let hasData = this.hasData;
    let type = this.eventType;
    let id = this.idBuffer;
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
        this.dispatch(data, hasData, type, id);
      } else if (word === DATA_WORD && bytes[start + 4] === COLON) {
        if (this.dropping) continue;
        // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
        const value = text.slice(start16 + (bytes[start + 5] === SPACE ? 6 : 5), end16);
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        if (data.length <= this.maxEventSize) continue;
        this.save(data, hasData, type, id);
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
        this.save(data, hasData, type, id);
        // [spec] a line starting with a colon is a comment.
        this.onComment?.(text.slice(start16 + (bytes[start + 1] === SPACE ? 2 : 1), end16));
      } else {
        this.save(data, hasData, type, id);
        this.otherLine(text, start16, end16);
      }
      // The line called back (an event, an overflow report, a comment, a retry), which may have
      // reset or fed the parser: go on from the state the callback left.
      data = this.data;
      hasData = this.hasData;
      type = this.eventType;
      id = this.idBuffer;
    }
    this.save(data, hasData, type, id);
  }
}

/** Whether bytes[start, end) hold a NUL. */
function holdsNul(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}
