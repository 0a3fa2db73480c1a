/**
 * The compatible API's path for large chunks: the complete lines are copied a window at a time into
 * an array of UTF-16 code units, and the loop reads characters from that array instead of the text.
 * `charCodeAt` costs ~2 ns a character here (the engine checks the string's representation on every
 * read); an array element ~0.8 ns; Node's Buffer copies a window's code units at memcpy speed (4 ms for
 * a 50 MB stream, 16K-unit windows). Lines are still searched for their end with `indexOf` on the
 * text and values still sliced from it. Whole stream of the parser benchmark: 80 -> 74 ms.
 *
 * Only where a copy that fast exists (Node's Buffer, also in Bun and Deno's Node mode): elsewhere, and
 * for a parser fed from one of this path's callbacks, parse.ts's loop over the text does the same work.
 * Its rules and comments are parse.ts's: the two loops differ only in where characters are read.
 */
import { commentOrOtherLine, type LineTarget } from './other-line.ts';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** What the loop reads, changes and calls on the parser (parse.ts's TextParser). */
export interface WindowTarget extends LineTarget {
  /** The last event type seen: compared in place before a new string is made. */
  typeCache: string;
  readonly maxBufferSize: number | undefined;
  readonly terminated: boolean;
  /** [spec] dispatches the block at a blank line, given the loop's locals. */
  dispatch(hasData: boolean, data: string, type: string, id: string | undefined): void;
  /** Writes the loop's locals back, before a callback and at the end. */
  save(data: string, hasData: boolean, type: string, id: string | undefined): void;
  /** Stops the parser: the buffer limit was passed. */
  terminate(): void;
}

/** Search state meaning "not searched yet"; -1 means "none left in this text". */
const STALE = -2;

/** Code units a window holds: a window and its copy stay in cache while they are parsed. */
export const WINDOW = 16384;

/**
 * Complete lines of at least this many characters take this path: at 4 KiB chunks it measured 1-4%
 * faster than parse.ts's loop; for much smaller ones the copy's call costs more than it saves (64 B
 * chunks through this path: 200 -> 320 ms per 50 MB).
 */
export const MIN_WINDOWED = 1024;

/** What this path needs of Node's Buffer: a view of an ArrayBuffer that a string's code units are written into. */
interface CodeUnitSink {
  write(text: string, offset: number, length: number, encoding: 'utf16le'): number;
}

interface BufferClass {
  from(buffer: ArrayBuffer): CodeUnitSink;
}

/** Node's Buffer, where present (the package imports nothing from Node: elsewhere this path is off). */
const NodeBuffer = (globalThis as { Buffer?: BufferClass }).Buffer;

/** An array of code units and the Buffer view over it that copies text into it. */
interface Units {
  readonly codes: Uint16Array<ArrayBuffer>;
  readonly sink: CodeUnitSink;
  /** Set while a loop reads `codes`: a parser fed from a callback then uses parse.ts's loop. */
  busy: boolean;
}

function unitsOf(length: number, buffers: BufferClass): Units {
  const codes = new Uint16Array(length);
  return { codes, sink: buffers.from(codes.buffer), busy: false };
}

/** The window array shared by every parser of the realm. */
let shared: Units | undefined;

/** Copies text[from, to) to the start of `units`. */
function copy(units: Units, text: string, from: number, to: number): void {
  units.sink.write(text.slice(from, to), 0, (to - from) * 2, 'utf16le');
}

/**
 * Parses the complete lines of `text` from `position` to `last` (the line end of the last one) a window
 * at a time, as parse.ts's loop does. Returns false, having parsed nothing, where this path is not
 * available: no fast copy here, or the window array is in use (this parser or another was fed from a
 * callback of this path).
 */
export function parseInWindows(parser: WindowTarget, text: string, position: number, last: number): boolean {
  if (NodeBuffer === undefined) return false;
  if (shared === undefined) shared = unitsOf(WINDOW, NodeBuffer);
  const units = shared;
  if (units.busy) return false;
  units.busy = true;
  // The next CR, searched for once per chunk, not per window: in a text without CR a search reads to its end.
  let nextCR = STALE;
  try {
    while (position <= last && !parser.terminated) {
      const to = Math.min(last + 1, position + WINDOW);
      copy(units, text, position, to);
      const end = to === last + 1 ? last : windowEnd(units.codes, position, to);
      if (end === -1) {
        // A line longer than a window: copied alone, into an array of its own (not kept).
        const lineEnd = firstLineEnd(text, position, last);
        const own = unitsOf(lineEnd + 1 - position, NodeBuffer);
        copy(own, text, position, lineEnd + 1);
        nextCR = parseCodes(parser, text, own.codes, position, lineEnd, nextCR);
        position = lineEnd + 1;
      } else {
        nextCR = parseCodes(parser, text, units.codes, position, end, nextCR);
        position = end + 1;
      }
    }
  } finally {
    units.busy = false;
  }
  return true;
}

/**
 * parse.ts's loop, reading characters from `codes` (text[base, last] copied): the complete lines of
 * `text` from `position` to `last`. `nextCR` is the position of the next CR in `text` found so far (or
 * STALE, or -1 for none); returns it.
 */
function parseCodes(
  parser: WindowTarget,
  text: string,
  codes: Uint16Array,
  position: number,
  last: number,
  nextCR: number,
): number {
  const base = position;
  let data = parser.data;
  let hasData = parser.hasData;
  let type = parser.type;
  let id = parser.id;
  let nextLF = STALE;
  while (position <= last) {
    const first = codes[position - base] as number;
    if (first === LF || first === CR) {
      // [spec] a blank line dispatches the block; the data, type and id buffers start again.
      position = lineAfter(codes, base, position, first, last);
      parser.dispatch(hasData, data, type, id);
    } else if (
      first === 0x69 &&
      codes[position + 1 - base] === 0x64 &&
      codes[position + 2 - base] === COLON
    ) {
      const start = valueStart(codes, base, position + 3);
      let end = start;
      let code = codes[end - base] as number;
      while (code > CR || (code !== LF && code !== CR && code !== 0)) code = codes[++end - base] as number;
      // [spec] an id containing U+0000 NULL is ignored.
      if (code !== 0) id = text.slice(start, end);
      else {
        end = lineEndFrom(codes, base, end);
        code = codes[end - base] as number;
      }
      position = lineAfter(codes, base, end, code, last);
      continue;
    } else if (first === 0x65 && isEventField(codes, position - base)) {
      const start = valueStart(codes, base, position + 6);
      const cached = parser.typeCache;
      let end = start + cached.length;
      let code = end <= last ? (codes[end - base] as number) : 0;
      if (isLineEnd(code) && matches(codes, start - base, cached)) type = cached;
      else {
        end = lineEndFrom(codes, base, start);
        code = codes[end - base] as number;
        type = parser.typeCache = text.slice(start, end);
      }
      position = lineAfter(codes, base, end, code, last);
      continue;
    } else {
      if (nextLF < position && nextLF !== -1) nextLF = text.indexOf('\n', position);
      if (nextCR < position && nextCR !== -1) nextCR = text.indexOf('\r', position);
      const end = nextCR === -1 || (nextLF !== -1 && nextLF < nextCR) ? nextLF : nextCR;
      const start = position;
      position = nextCR === end && nextLF === end + 1 ? end + 2 : end + 1;
      if (first === 0x64 && isDataField(codes, start - base)) {
        const value = text.slice(valueStart(codes, base, start + 5), end);
        const next = position <= last ? (codes[position - base] as number) : 0;
        if (!hasData && isLineEnd(next) && parser.maxBufferSize === undefined) {
          position = lineAfter(codes, base, position, next, last);
          parser.dispatch(true, value, type, id);
        } else {
          data = hasData ? `${data}\n${value}` : value;
          hasData = true;
          if (parser.maxBufferSize === undefined || data.length <= parser.maxBufferSize) continue;
          parser.terminate();
          return nextCR;
        }
      } else {
        parser.save(data, hasData, type, id);
        commentOrOtherLine(parser, text, start, end);
      }
    }
    // A callback may have fed, reset or terminated the parser: go on from the state it left.
    if (parser.terminated) return nextCR;
    data = parser.data;
    hasData = parser.hasData;
    type = parser.type;
    id = parser.id;
  }
  parser.save(data, hasData, type, id);
  return nextCR;
}

/**
 * The last line end of the window text[from, to) (copied in `codes`) after which the next window can
 * start: never a CR whose LF may follow past the window, so a CRLF is never split. -1 when it has none.
 */
function windowEnd(codes: Uint16Array, from: number, to: number): number {
  let end = to - 2;
  while (end >= from && !isLineEnd(codes[end - from] as number)) end--;
  if (end < from) return -1;
  // [spec] CRLF is one line end: a CR followed by LF ends the window after the LF.
  return codes[end - from] === CR && codes[end + 1 - from] === LF ? end + 1 : end;
}

/** The line end of the line at `from` (a line of the text, which ends at `last` at the latest), CRLF as one. */
function firstLineEnd(text: string, from: number, last: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
  return end < last && lf === end + 1 ? end + 1 : end;
}

function isLineEnd(code: number): boolean {
  return code === LF || code === CR;
}

/** Where the line after the line end at `end` starts (see parse.ts's lineAfter); `codes` start at `base`. */
function lineAfter(codes: Uint16Array, base: number, end: number, code: number, last: number): number {
  return code === CR && end < last && codes[end + 1 - base] === LF ? end + 2 : end + 1;
}

/** [spec] one leading space after the colon is not part of the value. */
function valueStart(codes: Uint16Array, base: number, start: number): number {
  return codes[start - base] === SPACE ? start + 1 : start;
}

function lineEndFrom(codes: Uint16Array, base: number, start: number): number {
  let i = start - base;
  while (!isLineEnd(codes[i] as number)) i++;
  return i + base;
}

/** Whether the line whose first unit is codes[i] (`d`) is `data:`. */
function isDataField(codes: Uint16Array, i: number): boolean {
  return codes[i + 4] === COLON && codes[i + 1] === 0x61 && codes[i + 2] === 0x74 && codes[i + 3] === 0x61;
}

/** Whether the line whose first unit is codes[i] (`e`) is `event:`. */
function isEventField(codes: Uint16Array, i: number): boolean {
  return (
    codes[i + 5] === COLON &&
    codes[i + 1] === 0x76 &&
    codes[i + 2] === 0x65 &&
    codes[i + 3] === 0x6e &&
    codes[i + 4] === 0x74
  );
}

function matches(codes: Uint16Array, i: number, expected: string): boolean {
  const n = expected.length;
  for (let k = 0; k < n; k++) if (codes[i + k] !== expected.charCodeAt(k)) return false;
  return true;
}
