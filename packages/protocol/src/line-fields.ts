/**
 * Field-name matching for the line parsers: in decoded text (a character at a time, for
 * LineParser.parse) and in UTF-8 bytes (four at a time, for LineParser.parseScanned).
 */

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** `data`, `id:`, `even` and `t:` as little-endian words, to match field names four bytes at a time. */
export const DATA_WORD = 0x61746164;
export const ID_COLON_WORD = 0x3a6469;
export const EVEN_WORD = 0x6e657665;
export const T_COLON_HALF = 0x3a74;

/** Whether the line at `start` is `data:` (a line end stops the match, so this never reads past the line). */
export function isDataField(text: string, start: number): boolean {
  return (
    text.charCodeAt(start + 4) === COLON &&
    text.charCodeAt(start + 1) === 0x61 &&
    text.charCodeAt(start + 2) === 0x74 &&
    text.charCodeAt(start + 3) === 0x61
  );
}

export function isEventField(text: string, start: number): boolean {
  return (
    text.charCodeAt(start + 5) === COLON &&
    text.charCodeAt(start + 1) === 0x76 &&
    text.charCodeAt(start + 2) === 0x65 &&
    text.charCodeAt(start + 3) === 0x6e &&
    text.charCodeAt(start + 4) === 0x74
  );
}

export function isLineEnd(code: number): boolean {
  return code === LF || code === CR;
}

/** [spec] one leading space after the colon is not part of the value. */
export function valueStart(text: string, start: number): number {
  return text.charCodeAt(start) === SPACE ? start + 1 : start;
}

/** The end of an id value, scanned in place (ids are short); -1 when it holds a NUL. */
export function idEnd(text: string, start: number): number {
  for (let i = start; ; i++) {
    const code = text.charCodeAt(i);
    if (code === LF || code === CR) return i;
    if (code === 0) return -1;
  }
}

/** The first CR or LF at or after `start`, scanned in place (for short values). */
export function lineEndFrom(text: string, start: number): number {
  let i = start;
  while (!isLineEnd(text.charCodeAt(i))) i++;
  return i;
}

/** Whether `expected` occurs in `text` at `start`, compared in place (no slice). */
export function matches(text: string, start: number, expected: string): boolean {
  const n = expected.length;
  for (let i = 0; i < n; i++) if (text.charCodeAt(start + i) !== expected.charCodeAt(i)) return false;
  return true;
}

/** Whether bytes[start, end) hold a NUL. */
export function holdsNul(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Whether the line at `start` is `id:` (a line end stops the match). */
export function isIdField(text: string, start: number): boolean {
  return (
    text.charCodeAt(start) === 0x69 &&
    text.charCodeAt(start + 1) === 0x64 &&
    text.charCodeAt(start + 2) === COLON
  );
}

/** [spec] the field name is up to the first colon; with no colon, the whole line [start, end). */
export function fieldNameEnd(text: string, start: number, end: number): number {
  let nameEnd = start + 1;
  while (nameEnd < end && text.charCodeAt(nameEnd) !== COLON) nameEnd++;
  return nameEnd;
}
