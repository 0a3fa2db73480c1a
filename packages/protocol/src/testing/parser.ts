/** Helpers for the protocol tests: feed a stream and collect what the parser reports. */
import { after, before, describe } from 'node:test';
import { build } from 'esbuild';
import { createParser, type ParsedEvent, type ParserOptions } from '../parser.ts';
import { setScanMode } from '../scanner/line-scanner.ts';

export interface Collected {
  events: ParsedEvent[];
  comments: string[];
  retries: number[];
  lastEventId: string;
}

/** Feeds each chunk in order to a fresh parser and returns everything it reported. */
export function parseChunks(
  chunks: readonly (string | Uint8Array)[],
  options: ParserOptions = {},
): Collected {
  const events: ParsedEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = createParser({
    ...options,
    onEvent: (event) => events.push(event),
    onComment: (text) => comments.push(text),
    onRetry: (ms) => retries.push(ms),
  });
  for (const chunk of chunks) parser.feed(chunk);
  return { events, comments, retries, lastEventId: parser.lastEventId };
}

/** Parses a whole stream given as text, in one chunk. */
export function parseText(text: string, options?: ParserOptions): Collected {
  return parseChunks([text], options);
}

/** Splits bytes into chunks of `size` bytes. */
export function chunkBytes(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

/** The event a client would dispatch, for short expectations. */
export function message(data: string, type = 'message', lastEventId = ''): ParsedEvent {
  return { type, data, lastEventId };
}

/**
 * Declares a suite twice: once with every piece of input parsed through the WebAssembly line
 * scanner (however small), once with the JavaScript path only (as without WebAssembly, or under a
 * CSP that forbids compiling it). Both must give the same results for the same tests.
 */
export function describeEachPath(name: string, body: () => void): void {
  for (const path of ['wasm', 'js'] as const) {
    describe(`${name} [${path} path]`, () => {
      before(() => setScanMode(path));
      after(() => setScanMode('auto'));
      body();
    });
  }
}

/** A module (and what it imports) as one browser script defining `globalName`, for the Chromium tests. */
export async function bundleForBrowser(entry: URL, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [entry.pathname],
    bundle: true,
    format: 'iife',
    globalName,
    write: false,
    platform: 'browser',
    // The workspace packages' TypeScript sources, not their dist/ (which may not be built yet).
    conditions: ['spout-source'],
    target: 'es2022',
  });
  return result.outputFiles[0]!.text;
}
