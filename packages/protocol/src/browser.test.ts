/**
 * The protocol package runs in browsers: bundle it with esbuild, load it in
 * headless Chromium, and check that encode-then-parse there gives what Node gives.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../test-support/chromium.ts';
import { createParser, encodeEvent, type ParsedEvent } from './index.ts';

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

test('the bundle encodes and parses in Chromium exactly as in Node', async () => {
  const bundle = await build({
    entryPoints: [new URL('./index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: 'SpoutProtocol',
    write: false,
    platform: 'browser',
    target: 'es2022',
  });
  const page = await browser.newPage();
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
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
