/**
 * The compatible API's path for large chunks: the complete lines are copied a window at a time into
 * the WebAssembly line scanner's memory as UTF-16 code units, the scanner finds every line end of the
 * window (8 units at a time), and the loop reads line ends and characters from that memory: no
 * `indexOf`, no `charCodeAt` (which costs ~2 ns a character here: the engine checks the string's
 * representation on every read). Values are sliced from the text. Node's Buffer copies a window at
 * memcpy speed (4 ms for a 50 MB stream).
 *
 * Only where that copy exists (Node's Buffer, also in Bun and Deno's Node mode) and the scanner loads:
 * elsewhere, and for a parser fed from a callback while the scanner is in use, parse.ts's loop over
 * the text does the same work, with the same rules.
 */
import { type LineScanner, scannerFor } from '../scanner/line-scanner.ts';
import { commentOrOtherLine, type LineTarget } from './other-line.ts';

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;

/** What the loop reads, changes and calls on the parser (parse.ts's TextParser). */
export interface WindowTarget extends LineTarget {
  /** The last event type seen: compared in place before a new string is made. */
  typeCache: string;
  /** Large chunks still to leave to parse.ts's loop, its lines having been found long (see SKIPPED_CHUNKS). */
  windowSkips: number;
  readonly maxBufferSize: number | undefined;
  readonly terminated: boolean;
  /** [spec] dispatches the block at a blank line, given the loop's locals. */
  dispatch(hasData: boolean, data: string, type: string, id: string | undefined): void;
  /** Writes the loop's locals back, before a callback and at the end. */
  save(data: string, hasData: boolean, type: string, id: string | undefined): void;
  /** Stops the parser: the buffer limit was passed. */
  terminate(): void;
  /** parse.ts's loop over the text: the complete lines from `position` to `last` (a line end). */
  parseText(text: string, position: number, last: number): void;
}

/** Code units a window holds (the scanner takes up to 32K): a window stays in cache while it is parsed. */
export const WINDOW = 16384;

/**
 * Complete lines of at least this many characters take this path: at 4 KiB chunks it measured faster
 * than parse.ts's loop; for much smaller ones the copy's call costs more than it saves.
 */
export const MIN_WINDOWED = 1024;

/**
 * Windows pay for themselves on streams of short `id:` and `event:` lines, which parse.ts's loop reads a
 * character at a time, and lose on long lines, which the loop finds the end of with one indexOf: copying
 * and scanning cost per character. Measured on 20 MB chunks against the loop: the benchmark's corpus 1.3x
 * faster here; one-line events of 10 to 20 characters of data 1.1x faster, of 30 4% slower, of 50 and 100
 * 2x slower. So a window is read here when at least a fifth of its first lines are short (3 to 24 units,
 * line end included; half of them in a stream of one-line events of short data, none with 20 characters
 * of data or more, 23% to 76% in 1,024-unit windows of the corpus). Otherwise the loop takes the rest of
 * the chunk.
 */
const SHORT_LINE = 24;
const MIN_SHORT_SHARE = 0.2;
/**
 * Large chunks left to the loop after one whose window was: a stream keeps its kind of lines, and a
 * window copied and scanned for nothing costs what parsing it does (4 KiB chunks of one-line events with
 * 30 characters of data: 28.7 ms per 20 MB with a window tried in every chunk, 21 without).
 */
const SKIPPED_CHUNKS = 16;

/** Lines looked at to decide: enough to tell, few enough to cost nothing beside the window's parse. */
const SAMPLE = 64;

/** Whether the window's first lines are short often enough for the window to be read here. */
function shortLinesEnough(ends: Int32Array, count: number): boolean {
  const n = Math.min(count, SAMPLE);
  let short = 0;
  let previous = -1;
  for (let k = 0; k < n; k++) {
    const end = ends[k] as number;
    const length = end - previous;
    if (length >= 3 && length <= SHORT_LINE) short++;
    previous = end;
  }
  return short >= n * MIN_SHORT_SHARE;
}

/** What this path needs of Node's Buffer: a view of an ArrayBuffer that a string's code units are written into. */
interface CodeUnitSink {
  write(text: string, offset: number, length: number, encoding: 'utf16le'): number;
}

interface BufferClass {
  from(buffer: ArrayBuffer): CodeUnitSink;
}

/** Node's Buffer, where present (the package imports nothing from Node: elsewhere this path is off). */
const NodeBuffer = (globalThis as { Buffer?: BufferClass }).Buffer;

/** The scanner's memory as a Buffer, made once (the module's memory never grows). */
let sink: CodeUnitSink | undefined;

/**
 * Parses the complete lines of `text` from `position` to `last` (the line end of the last one) a window
 * at a time, as parse.ts's loop does. Returns false, having parsed nothing, where this path is not
 * available: no fast copy or no scanner here, or the scanner is in use (a parser fed from a callback).
 */
export function parseInWindows(parser: WindowTarget, text: string, position: number, last: number): boolean {
  if (NodeBuffer === undefined) return false;
  if (parser.windowSkips > 0) {
    parser.windowSkips--;
    return false;
  }
  const scanner = scannerFor(WINDOW * 2);
  if (scanner === null) return false;
  sink ??= NodeBuffer.from(scanner.codes.buffer);
  scanner.busy = true;
  try {
    while (position <= last && !parser.terminated) {
      const to = Math.min(last + 1, position + WINDOW);
      sink.write(text.slice(position, to), 0, (to - position) * 2, 'utf16le');
      let count = scanner.scan16(to - position);
      // A CR ending the window may be a CRLF's first half: its line is left to the next window.
      const end = count > 0 ? (scanner.ends[count - 1] as number) : -1;
      if (to <= last && end === to - 1 - position && scanner.codes[end] === CR) count--;
      if (count === 0 || !shortLinesEnough(scanner.ends, count)) {
        // A line longer than a window, or lines long on average: parse.ts's loop is faster for them. It
        // takes the rest of the chunk, so that its searches for a line end run once, not once a window.
        parser.windowSkips = SKIPPED_CHUNKS;
        parser.parseText(text, position, last);
        return true;
      }
      position = parseScanned(parser, text, scanner, count, position);
    }
  } finally {
    scanner.busy = false;
  }
  return true;
}

/**
 * The first `count` scanned lines of the window at `base` (its code units in the scanner's memory), as
 * parse.ts's loop parses them; returns where the line after the last one starts in `text`.
 */
function parseScanned(
  parser: WindowTarget,
  text: string,
  scanner: LineScanner,
  count: number,
  base: number,
): number {
  const codes = scanner.codes;
  const ends = scanner.ends;
  let data = parser.data;
  let hasData = parser.hasData;
  let type = parser.type;
  let id = parser.id;
  let start = 0;
  for (let k = 0; k < count; k++) {
    const end = ends[k] as number;
    // [spec] CRLF is one line end.
    const next = codes[end] === CR && codes[end + 1] === LF ? end + 2 : end + 1;
    const first = codes[start] as number;
    if (start === end) {
      // [spec] a blank line dispatches the block; the data, type and id buffers start again.
      start = next;
      parser.dispatch(hasData, data, type, id);
    } else if (first === 0x69 && codes[start + 1] === 0x64 && codes[start + 2] === COLON) {
      const from = valueStart(codes, start + 3);
      // [spec] an id containing U+0000 NULL is ignored.
      if (!holdsNul(codes, from, end)) id = text.slice(base + from, base + end);
      start = next;
      continue;
    } else if (first === 0x65 && isEventField(codes, start)) {
      const from = valueStart(codes, start + 6);
      const cached = parser.typeCache;
      if (end - from === cached.length && matches(codes, from, cached)) type = cached;
      else type = parser.typeCache = text.slice(base + from, base + end);
      start = next;
      continue;
    } else if (first === 0x64 && isDataField(codes, start)) {
      // [spec] data lines are joined by LF (append value and LF, then remove the final LF).
      const value = text.slice(base + valueStart(codes, start + 5), base + end);
      if (!hasData && k + 1 < count && ends[k + 1] === next && parser.maxBufferSize === undefined) {
        // A one-line event, its blank line at once: dispatched with its value, as the blank line would.
        k++;
        start = codes[next] === CR && codes[next + 1] === LF ? next + 2 : next + 1;
        parser.dispatch(true, value, type, id);
      } else {
        data = hasData ? `${data}\n${value}` : value;
        hasData = true;
        start = next;
        if (parser.maxBufferSize === undefined || data.length <= parser.maxBufferSize) continue;
        parser.terminate();
        return base + start;
      }
    } else {
      parser.save(data, hasData, type, id);
      commentOrOtherLine(parser, text, base + start, base + end);
      start = next;
    }
    // A callback may have fed, reset or terminated the parser: go on from the state it left.
    if (parser.terminated) return base + start;
    data = parser.data;
    hasData = parser.hasData;
    type = parser.type;
    id = parser.id;
  }
  parser.save(data, hasData, type, id);
  return base + start;
}

// The field helpers of line-fields.ts, on code units: kept apart from its string and byte versions so
// that each reads one kind of value (a helper fed strings and typed arrays alike reads all of them slower).

/** [spec] one leading space after the colon is not part of the value. */
function valueStart(codes: Uint16Array, start: number): number {
  return codes[start] === SPACE ? start + 1 : start;
}

function holdsNul(codes: Uint16Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (codes[i] === 0) return true;
  return false;
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
