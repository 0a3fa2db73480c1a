/**
 * The protocol package runs in browsers: bundle it with esbuild, load it in
 * headless Chromium, and check that encode-then-parse there gives what Node gives.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../testing/chromium.ts';
import { createParser, encodeEvent, type ParsedEvent } from './index.ts';
import { bundleForBrowser } from './testing/parser.ts';

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const fields = [
  { id: '1', event: 'price', data: '{"AAPL":187.2}' },
  { data: 'multi\nline\r\nwith é and 東京' },
  { id: '', retry: 1500, data: '' },
];

/** A module of this package as one browser script defining `globalName`. */
const bundle = (entry: string, globalName: string) =>
  bundleForBrowser(new URL(entry, import.meta.url), globalName);

test('the bundle encodes and parses in Chromium exactly as in Node', async () => {
  const page = await browser.newPage();
  await page.addScriptTag({ content: await bundle('./index.ts', 'SpoutProtocol') });
  const inBrowser = await page.evaluate((input) => {
    const { createParser: create, encodeEvent: encode } = (
      globalThis as never as { SpoutProtocol: typeof import('./index.ts') }
    ).SpoutProtocol;
    const events: ParsedEvent[] = [];
    const parser = create({ onEvent: (event) => events.push(event) });
    const bytes = new TextEncoder().encode(input.map(encode).join(''));
    for (let i = 0; i < bytes.length; i += 3) parser.feed(bytes.subarray(i, i + 3));
    return events;
  }, fields);

  const inNode: ParsedEvent[] = [];
  const parser = createParser({ onEvent: (event) => inNode.push(event) });
  parser.feed(fields.map(encodeEvent).join(''));
  assert.equal(inNode.length, 3);
  assert.deepEqual(inBrowser, inNode);
  await page.close();
});

/** A stream with wide characters and both line-ending styles, long enough for the line scanner. */
const longStream = Array.from(
  { length: 200 },
  (_, i) => `id: ${i}\r\nevent: ${i % 3 ? 'price' : 'note'}\ndata: {"n":${i},"w":"東京 café 😀"}\n\n`,
).join('');

/** Parses `longStream` in the page in 4 KiB chunks; whether the line scanner loaded there, and the events. */
async function parseInPage(
  page: import('playwright-core').Page,
): Promise<{ scanner: boolean; events: ParsedEvent[] }> {
  await page.addScriptTag({ content: await bundle('./index.ts', 'SpoutProtocol') });
  await page.addScriptTag({ content: await bundle('./scanner/line-scanner.ts', 'SpoutScanner') });
  return page.evaluate((input) => {
    const global = globalThis as never as {
      SpoutProtocol: typeof import('./index.ts');
      SpoutScanner: typeof import('./scanner/line-scanner.ts');
    };
    const events: ParsedEvent[] = [];
    const parser = global.SpoutProtocol.createParser({ onEvent: (event) => events.push(event) });
    const bytes = new TextEncoder().encode(input);
    for (let i = 0; i < bytes.length; i += 4096) parser.feed(bytes.subarray(i, i + 4096));
    return { scanner: global.SpoutScanner.scannerFor(4096) !== null, events };
  }, longStream);
}

function parseInNode(): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  createParser({ onEvent: (event) => events.push(event) }).feed(longStream);
  return events;
}

test('in Chromium the WebAssembly line scanner compiles, and parsing through it matches Node', async () => {
  const page = await browser.newPage();
  const { scanner, events } = await parseInPage(page);
  assert.equal(scanner, true);
  assert.equal(events.length, 200);
  assert.deepEqual(events, parseInNode());
  await page.close();
});

test('under a CSP that forbids compiling WebAssembly, Chromium parses through the JavaScript path', async () => {
  const page = await browser.newPage();
  // [CSP] without 'wasm-unsafe-eval' (or 'unsafe-eval'), script-src forbids compiling WebAssembly.
  await page.setContent(`<meta http-equiv="Content-Security-Policy" content="script-src 'unsafe-inline'">`);
  const { scanner, events } = await parseInPage(page);
  assert.equal(scanner, false);
  assert.deepEqual(events, parseInNode());
  await page.close();
});
