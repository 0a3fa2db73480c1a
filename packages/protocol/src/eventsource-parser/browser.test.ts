/**
 * The compatible API runs in browsers: its modules bundled with esbuild, loaded in headless Chromium,
 * parse a stream (through createParser and through EventSourceParserStream) exactly as in Node.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../../testing/chromium.ts';
import { bundleForBrowser } from '../testing/parser.ts';
import { createParser } from './index.ts';
import { type Report, record, split } from './testing/record.ts';

let browser: Browser;

before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** A module of this package as one browser script defining `globalName`. */
const bundle = (entry: string, globalName: string) =>
  bundleForBrowser(new URL(entry, import.meta.url), globalName);

const stream =
  '\uFEFFid: 1\r\nevent: price\ndata: {"AAPL":187.2}\n\n: ping\nretry: 50\nretry: x\nfoo: bar\ndata: é 東京 😀\r\rdata: end\n\n';

test('in Chromium, createParser and EventSourceParserStream report what they report in Node', async () => {
  const page = await browser.newPage();
  await page.addScriptTag({ content: await bundle('./index.ts', 'Compat') });
  await page.addScriptTag({ content: await bundle('./stream.ts', 'CompatStream') });
  const inBrowser = await page.evaluate(async (input) => {
    const global = globalThis as never as {
      Compat: typeof import('./index.ts');
      CompatStream: typeof import('./stream.ts');
    };
    const reports: unknown[] = [];
    const { feed } = global.Compat.createParser({
      onEvent: (event) => reports.push(['event', { id: event.id, event: event.event, data: event.data }]),
      onId: (id) => reports.push(['id', id]),
      onRetry: (ms) => reports.push(['retry', ms]),
      onComment: (text) => reports.push(['comment', text]),
      onError: (error) => {
        const fields: Record<string, string> = { type: error.type, message: error.message };
        for (const key of ['field', 'value', 'line'] as const)
          if (error[key] !== undefined) fields[key] = error[key];
        reports.push(['error', fields]);
      },
    });
    for (let i = 0; i < input.length; i += 3) feed(input.slice(i, i + 3));
    const streamed: unknown[] = [];
    const source = new ReadableStream<string>({
      start(controller) {
        controller.enqueue(input);
        controller.close();
      },
    });
    const reader = source.pipeThrough(new global.CompatStream.EventSourceParserStream()).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) streamed.push(read.value);
    return { reports, streamed };
  }, stream);

  const inNode: Report[] = record(createParser, split(stream, 3));
  assert.equal(inNode.filter(([kind]) => kind === 'event').length, 3);
  assert.deepEqual(inBrowser.reports, inNode);
  assert.deepEqual(
    inBrowser.streamed,
    inNode.filter(([kind]) => kind === 'event').map(([, event]) => event),
  );
  await page.close();
});
