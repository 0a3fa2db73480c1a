/**
 * The WebAssembly line scanner: line ends and UTF-16 offsets against TextDecoder on the same bytes,
 * invalid UTF-8 refused, and the JavaScript path wherever WebAssembly cannot run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { createParser } from '../parser.ts';
import { chunkBytes, parseChunks } from '../testing/parser.ts';
import { type LineScanner, SCAN_CAPACITY, scannerFor, setScanMode } from './line-scanner.ts';

function loadedScanner(): LineScanner {
  const scanner = scannerFor(SCAN_CAPACITY);
  assert.ok(scanner, 'WebAssembly is available in Node: the scanner must load');
  return scanner;
}

/** Scans `bytes`; the line ends as [byte offset, UTF-16 offset] pairs, or -1. */
function scan(bytes: Uint8Array): [number, number][] | -1 {
  const scanner = loadedScanner();
  scanner.input.set(bytes);
  const count = scanner.scan(bytes.length);
  if (count < 0) return -1;
  const ends: [number, number][] = [];
  for (let k = 0; k < count; k++)
    ends.push([scanner.ends[2 * k] as number, scanner.ends[2 * k + 1] as number]);
  return ends;
}

/** [spec] line ends of decoded text: CRLF, a lone LF or a lone CR, as UTF-16 offsets. */
function lineEndsOf(text: string): number[] {
  const ends: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n' || text[i] === '\r') {
      ends.push(i);
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
    }
  }
  return ends;
}

const encoder = new TextEncoder();

describe('line scanner', () => {
  test('finds every line end, with its UTF-16 offset, in valid UTF-8 of 1 to 4 bytes per code point', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('\n', '\r', '\r\n', '\n\n', '\r\r', 'é', '東京', '😀', '\0', 'data: x'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.constantFrom('\n', '\r', '\r\n'), (pieces, eol) => {
        const text = pieces.join('') + eol;
        const bytes = encoder.encode(text);
        const ends = scan(bytes);
        assert.notEqual(ends, -1);
        assert.deepEqual(
          (ends as [number, number][]).map(([, units]) => units),
          lineEndsOf(text),
        );
        for (const [byte, units] of ends as [number, number][]) {
          // The byte offset and the UTF-16 offset name the same line end.
          assert.equal(new TextDecoder().decode(bytes.subarray(0, byte)).length, units);
        }
        assert.equal(loadedScanner().units(), text.length);
      }),
      { numRuns: 500 },
    );
  });

  test('a CRLF split by the 16-byte blocks is still one line end', () => {
    for (let at = 0; at < 40; at++) {
      const text = `${'x'.repeat(at)}\r\ny\n`;
      assert.deepEqual(scan(encoder.encode(text)), [
        [at, at],
        [at + 3, at + 3],
      ]);
    }
  });

  test('refuses every kind of ill-formed UTF-8 (Unicode table 3-7), wherever it falls in a block', () => {
    const invalid = [
      [0x80], // a lone continuation byte
      [0xc0, 0xaf], // overlong 2-byte form
      [0xc1, 0xbf],
      [0xc3], // truncated by the line end
      [0xe0, 0x80, 0xaf], // overlong 3-byte form
      [0xed, 0xa0, 0x80], // a UTF-16 surrogate
      [0xe3, 0x81], // truncated 3-byte sequence
      [0xf0, 0x80, 0x80, 0xaf], // overlong 4-byte form
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf5, 0x80, 0x80, 0x80],
      [0xff],
      [0xe3, 0x81, 0x41], // a continuation replaced by ASCII
    ];
    for (const sequence of invalid) {
      for (const at of [0, 5, 14, 15, 16, 30]) {
        const bytes = Uint8Array.from([...encoder.encode('a'.repeat(at)), ...sequence, 0x0a]);
        assert.equal(scan(bytes), -1, `${sequence.map((b) => b.toString(16))} at ${at}`);
      }
    }
    // A sequence cut by the end of the input (a CR or LF is always last, so it cuts the sequence).
    assert.equal(scan(Uint8Array.from([0x61, 0x0a, 0xf0, 0x9f])), -1);
  });

  test('accepts the boundary code points of each sequence length', () => {
    const text = '\u0080\u07ff\u0800\ud7ff\ue000\uffff\u{10000}\u{10ffff}\n';
    assert.deepEqual(scan(encoder.encode(text)), [[encoder.encode(text).length - 1, text.length - 1]]);
  });
});

/** Scans `text` as UTF-16 code units (scan16); the line ends as unit offsets. */
function scan16(text: string): number[] {
  const scanner = loadedScanner();
  for (let i = 0; i < text.length; i++) scanner.codes[i] = text.charCodeAt(i);
  const count = scanner.scan16(text.length);
  return Array.from(scanner.ends.subarray(0, count));
}

describe('line scanner, UTF-16 (the eventsource-parser compatible API)', () => {
  test('finds every line end of UTF-16 text, whatever the units around it', () => {
    // U+0A0D and U+0D0A hold the bytes of CR and LF: only whole units are line ends.
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 30 }),
      fc.constantFrom('\n', '\r', '\r\n', '\n\n', '\r\r', '\u0a0d', '\u0d0a', '\u0d0d', '😀', '\0'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const text = pieces.join('');
        assert.deepEqual(scan16(text), lineEndsOf(text));
      }),
    );
  });

  test('a CRLF split by the 8-unit blocks is still one line end', () => {
    for (let at = 0; at < 20; at++) assert.deepEqual(scan16(`${'x'.repeat(at)}\r\ny\n`), [at, at + 3]);
  });

  test('units past the text are not read, whatever an earlier scan left there', () => {
    scan16('\n'.repeat(40));
    assert.deepEqual(scan16('abc'), []);
    assert.deepEqual(scan16('a\r'), [1]);
  });
});

describe('parsing through the scanner', () => {
  test('random bytes give the same events, comments and retries on both paths, invalid UTF-8 included', () => {
    const byte = fc.oneof(
      fc.constantFrom(0x0a, 0x0d, 0x3a, 0x20, 0x00, 0x64, 0x61, 0x74, 0x69, 0x65, 0x76, 0x6e),
      fc.integer({ min: 0x80, max: 0xff }),
      fc.integer({ min: 0, max: 0xff }),
    );
    const fields = fc.constantFrom('data: ', 'id: ', 'event: ', ': ', 'retry: ', '\n', '\r\n', '\r');
    const stream = fc
      .array(
        fc.oneof(
          fields.map((field) => encoder.encode(field)),
          fc.uint8Array({ maxLength: 8 }),
          fc.array(byte, { maxLength: 8 }).map((b) => Uint8Array.from(b)),
        ),
        { maxLength: 60 },
      )
      .map((parts) => Uint8Array.from(parts.flatMap((part) => [...part])));
    fc.assert(
      fc.property(stream, fc.integer({ min: 1, max: 300 }), (bytes, size) => {
        try {
          setScanMode('js');
          const expected = parseChunks(chunkBytes(bytes, size));
          setScanMode('wasm');
          assert.deepEqual(parseChunks(chunkBytes(bytes, size)), expected);
        } finally {
          setScanMode('auto');
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("a parser fed from inside another parser's callback, in the middle of a scanned piece, gets its events", () => {
    const inner: string[] = [];
    const outer: string[] = [];
    const innerParser = createParser({ onEvent: (event) => inner.push(event.data) });
    const stream = encoder.encode('data: a\n\n'.repeat(100));
    const outerParser = createParser({
      onEvent: (event) => {
        outer.push(event.data);
        if (outer.length === 1) innerParser.feed(encoder.encode('data: inner 東京\n\n'.repeat(50)));
      },
    });
    outerParser.feed(stream);
    assert.equal(outer.length, 100);
    assert.deepEqual(inner, Array(50).fill('inner 東京'));
  });
});

describe('without the scanner', () => {
  /** A fresh copy of the scanner module, loaded while `globalThis` is as `prepare` left it. */
  async function freshScanner(prepare: () => () => void): Promise<LineScanner | null> {
    const restore = prepare();
    try {
      const module: typeof import('./line-scanner.ts') = await import(
        `./line-scanner.ts?fresh=${Math.random()}`
      );
      return module.scannerFor(SCAN_CAPACITY);
    } finally {
      restore();
    }
  }

  test('where WebAssembly does not exist, the scanner is absent (parsers then take the JavaScript path)', async () => {
    const scanner = await freshScanner(() => {
      const original = globalThis.WebAssembly;
      Reflect.deleteProperty(globalThis, 'WebAssembly');
      return () => {
        globalThis.WebAssembly = original;
      };
    });
    assert.equal(scanner, null);
  });

  test('where compiling WebAssembly is forbidden (a CSP without wasm-unsafe-eval), the scanner is absent', async () => {
    const scanner = await freshScanner(() => {
      const original = WebAssembly.Module;
      WebAssembly.Module = function forbidden() {
        throw new WebAssembly.CompileError('Refused to compile: Content Security Policy');
      } as never;
      return () => {
        WebAssembly.Module = original;
      };
    });
    assert.equal(scanner, null);
  });

  test('setScanMode("wasm") says so when the scanner cannot load', async () => {
    const original = WebAssembly.Module;
    WebAssembly.Module = function forbidden() {
      throw new WebAssembly.CompileError('forbidden');
    } as never;
    try {
      const module: typeof import('./line-scanner.ts') = await import(
        `./line-scanner.ts?fresh=${Math.random()}`
      );
      assert.throws(() => module.setScanMode('wasm'), /cannot be loaded/);
    } finally {
      WebAssembly.Module = original;
    }
  });
});
