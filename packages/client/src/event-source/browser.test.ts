import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../../../testing/chromium.ts';
import { BUNDLE_PATH, buildBundle } from '../../scripts/build.ts';
import { BROWSER_PAGE, browserStreamBody } from '../testing/browser-page.ts';
import { type Handler, openStream, startServer, type TestServer } from '../testing/test-server.ts';

interface Recorded {
  log: Record<string, unknown>[];
  url: string;
  withCredentials: boolean;
}

let server: TestServer;
let browser: Browser;
/** Last-Event-ID of each request, decoded from its raw bytes as UTF-8, per client. */
const lastEventIds: Record<string, (string | undefined)[]> = { native: [], bundle: [], connect: [] };
const headersSeen = { connect: [] as string[] };
/** What the page recorded: the two EventSources' logs, and the [type, data, lastEventId] connect() iterated. */
let results: { native: Recorded; bundle: Recorded; connected: string[][] } = {
  native: { log: [], url: '', withCredentials: false },
  bundle: { log: [], url: '', withCredentials: false },
  connected: [],
};

/** Serves the page, the bundle and the stream; records each client's Last-Event-ID (as UTF-8) and x-client header. */
function parityServer(bundle: Buffer): Handler {
  const counts: Record<string, number> = {};
  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/')
      return response.writeHead(200, { 'content-type': 'text/html' }).end(BROWSER_PAGE);
    if (url.pathname === '/spout-client.js') {
      return response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    }
    if (url.pathname !== '/events') return response.writeHead(404).end();
    const client = url.searchParams.get('client') ?? '';
    const index = counts[client] ?? 0;
    counts[client] = index + 1;
    const header = request.headers['last-event-id'];
    const lastEventId =
      typeof header === 'string' ? Buffer.from(header, 'latin1').toString('utf8') : undefined;
    lastEventIds[client]?.push(lastEventId);
    if (client === 'connect') headersSeen.connect.push(String(request.headers['x-client']));
    const body = browserStreamBody(index, lastEventId);
    if (body === undefined) return response.writeHead(204).end();
    openStream(response);
    response.end(body);
  };
}

before(
  async () => {
    await buildBundle();
    server = await startServer(parityServer(await readFile(BUNDLE_PATH)));
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url('/'));
    await page.waitForFunction(() => 'results' in window, undefined, { timeout: 30_000 });
    results = (await page.evaluate(
      () => (window as unknown as { results: unknown }).results,
    )) as typeof results;
    await page.close();
  },
  { timeout: 60_000 },
);

after(async () => {
  await browser?.close();
  await server?.close();
});

it('[spec] in Chromium, the bundle and the native EventSource receive identical events from the same server', () => {
  assert.deepEqual(results.bundle.log, results.native.log);
  // The shared log is the spec's, not an accident of both being empty or wrong.
  const messages = results.native.log
    .filter((entry) => 'data' in entry)
    .map((entry) => [entry.type, entry.data]);
  assert.deepEqual(messages, [
    ['message', 'first\nsecond line'],
    ['tick', 'named'],
    ['message', 'empty event field resets the type'],
    ['message', 'no space'],
    ['message', ''],
    ['custom', ' two spaces keep one'],
    ['message', 'after CR'],
    ['open-ended', 'resumed from é€ 😀'],
  ]);
  assert.deepEqual(
    results.native.log
      .filter((entry) => !('data' in entry))
      .map((entry) => `${entry.type}:${entry.readyState}`),
    ['open:1', 'error:0', 'open:1', 'error:0', 'error:2'],
  );
  assert.equal(results.bundle.url.replace('bundle', 'native'), results.native.url);
});

it('[spec] in Chromium, both send the non-ASCII last event ID as the same UTF-8 bytes', () => {
  assert.deepEqual(lastEventIds.bundle, lastEventIds.native);
  assert.deepEqual(lastEventIds.native, [undefined, 'é€ 😀', 'é€ 😀']);
});

it("in Chromium, the bundle's connect() iterates the same events, sending its custom header", () => {
  const native = results.native.log
    .filter((entry) => 'data' in entry)
    .map((entry) => [entry.type, entry.data, entry.lastEventId]);
  assert.deepEqual(results.connected, native);
  assert.deepEqual(lastEventIds.connect, lastEventIds.native);
  assert.deepEqual(headersSeen.connect, ['connect', 'connect', 'connect']);
});
