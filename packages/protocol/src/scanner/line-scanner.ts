/**
 * The WebAssembly line scanner (line-scanner.wat): finds the lines of a piece of UTF-8 input
 * and writes where each ends, as a byte offset and as a UTF-16 offset into the text TextDecoder
 * makes of the same bytes. The JavaScript parse loop then classifies lines on the bytes and only
 * slices the text (LineParser.parseScanned): no indexOf, no charCodeAt.
 *
 * One instance serves every parser of the realm. Where WebAssembly is missing, or a Content
 * Security Policy forbids compiling it, the scanner is absent and parsers use the JavaScript path.
 */
import { LINE_SCANNER_WASM } from './line-scanner-module.ts';

/** Most bytes one scan takes (the input area of the module's memory). */
export const SCAN_CAPACITY = 65536;
/** Where the scan's summary (code units, whether a NUL was seen) is in the module's memory, in 32-bit words. */
const SUMMARY_WORD = 65592 / 4;
/** Where the line ends start in the module's memory, in 32-bit words. */
const ENDS_WORD = 65600 / 4;

/** A loaded scanner: copy the input into `input`, call `scan`, read the line ends. */
export interface LineScanner {
  /**
   * The input area: SCAN_CAPACITY bytes, then one more that `scan` sets to 0, so that reading the
   * byte after the last line end needs no bounds check.
   */
  readonly input: Uint8Array;
  /** The same memory, for reading several input bytes at once. */
  readonly view: DataView;
  /** Line ends, two words each: byte offset into `input`, UTF-16 offset into the decoded text. */
  readonly ends: Int32Array;
  /** Scans the first `length` bytes of `input`; the number of line ends, or -1 when they are not valid UTF-8. */
  scan(length: number): number;
  /** The input area as UTF-16 code units (SCAN_CAPACITY / 2 of them), for `scan16`. */
  readonly codes: Uint16Array<ArrayBuffer>;
  /**
   * Scans the first `units` code units of `codes` (UTF-16 text, for the eventsource-parser compatible API):
   * the number of line ends, written to `ends` one word each (the unit offset of a lone LF or CR, or of a
   * CRLF's CR).
   */
  scan16(units: number): number;
  /** UTF-16 code units the last valid scan counted. */
  units(): number;
  /** Whether the last scan met a NUL byte. */
  sawNul(): boolean;
  /** Set while a parse loop reads the line ends: a parser fed from a callback then uses the JavaScript path. */
  busy: boolean;
}

/** Which path parsers take: `auto` uses the scanner for inputs of at least 256 bytes. */
export type ScanMode = 'auto' | 'js' | 'wasm';

/** Below this many bytes a scan costs more than it saves (copy and call overhead, measured). */
const MIN_SCAN_BYTES = 256;

/**
 * Inputs shorter than `minBytes` take the JavaScript path. The parser reads it before calling
 * {@link scannerFor}, so that small input (most chunks of a live stream) pays no call.
 */
export const scanPolicy = { minBytes: MIN_SCAN_BYTES };

let loaded: LineScanner | null | undefined;

/**
 * The scanner for `length` bytes of input, or null for the JavaScript path: input under
 * scanPolicy.minBytes (always, under setScanMode('js')) or over the scanner's capacity, no WebAssembly
 * here, or the scanner in use.
 */
export function scannerFor(length: number): LineScanner | null {
  if (length > SCAN_CAPACITY || length < scanPolicy.minBytes) return null;
  if (loaded === undefined) loaded = load();
  return loaded !== null && !loaded.busy ? loaded : null;
}

/**
 * Forces a path (for tests, which run every parser test on both): `js` never scans (the
 * eventsource-parser compatible API's windows included), `wasm` scans every input however small (throws
 * when WebAssembly is unavailable here), `auto` restores the default.
 */
export function setScanMode(mode: ScanMode): void {
  if (mode === 'wasm') {
    loaded ??= load();
    if (loaded === null) throw new Error('the WebAssembly line scanner cannot be loaded here');
  }
  scanPolicy.minBytes = mode === 'auto' ? MIN_SCAN_BYTES : mode === 'wasm' ? 1 : Number.POSITIVE_INFINITY;
}

function load(): LineScanner | null {
  if (typeof WebAssembly !== 'object') return null;
  let instance: WebAssembly.Instance;
  try {
    // Synchronous: the module is ~1 KB, well under the size browsers allow to compile on the main thread.
    instance = new WebAssembly.Instance(new WebAssembly.Module(decodeBase64(LINE_SCANNER_WASM)));
  } catch {
    // A CSP without 'wasm-unsafe-eval', or an engine without SIMD: the JavaScript path does the same work.
    return null;
  }
  const exports = instance.exports as {
    memory: WebAssembly.Memory;
    scan: (length: number) => number;
    scan16: (units: number) => number;
  };
  const buffer = exports.memory.buffer;
  const input = new Uint8Array(buffer, 0, SCAN_CAPACITY + 1);
  const summary = new Int32Array(buffer, SUMMARY_WORD * 4, 2);
  const codes = new Uint16Array(buffer, 0, SCAN_CAPACITY / 2 + 8);
  return {
    input,
    view: new DataView(buffer),
    ends: new Int32Array(buffer, ENDS_WORD * 4),
    scan: (length) => {
      input[length] = 0;
      return exports.scan(length);
    },
    codes,
    scan16: (units) => {
      // scan16 reads whole blocks of 8 units: those past the text must not be line ends.
      codes.fill(0, units, units + 8);
      return exports.scan16(units);
    },
    units: () => summary[0] as number,
    sawNul: () => summary[1] === 1,
    busy: false,
  };
}

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
