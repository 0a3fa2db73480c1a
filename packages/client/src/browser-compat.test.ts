/**
 * The browser bundle in headless Chromium, for what the migration from other clients adds there:
 * page visibility (fetch-event-source's openWhenHidden), credentials in the URL, the Web IDL constants.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../testing/chromium.ts';
import { BUNDLE_PATH, buildBundle } from '../scripts/build.ts';
import { openStream, startServer, type TestServer } from './testing/test-server.ts';

const PAGE = `<!doctype html><meta charset="utf-8"><title>compat</title>
<script type="module">
import * as spout from '/spout-client.js';
window.spout = spout;
window.events = [];
/** Makes the page hidden or visible as the browser would: the two attributes, then visibilitychange. */
window.setHidden = (hidden) => {
  for (const [name, value] of [['hidden', hidden], ['visibilityState', hidden ? 'hidden' : 'visible']]) {
    Object.defineProperty(document, name, { configurable: true, get: () => value });
  }
  document.dispatchEvent(new Event('visibilitychange'));
};
window.ready = true;
</script>`;

/** What the page's script puts on window. */
interface PageGlobals {
  spout: typeof import('./index.ts');
  events: string[];
  stream: { close(): void };
  setHidden(hidden: boolean): void;
}

interface StreamRequest {
  lastEventId: string | undefined;
  authorization: string | undefined;
  response: ServerResponse;
  closed: Promise<unknown>;
}

let server: TestServer;
let browser: Browser;
let bundle: Buffer;
let page: Page;
/** The /events requests of each client (the `c` query parameter). */
const streams = new Map<string, StreamRequest[]>();

function requestsOf(client: string): StreamRequest[] {
  let list = streams.get(client);
  if (list === undefined) {
    list = [];
    streams.set(client, list);
  }
  return list;
}

/** Resolves once `client` has made `count` requests. */
async function waitForStreams(client: string, count: number): Promise<StreamRequest[]> {
  while (requestsOf(client).length < count) await server.waitForRequests(server.requests.length + 1);
  return requestsOf(client);
}

/** Each stream request gets `id: n` and `data: hello n` (n counts its client's requests) and stays open. */
function handle(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/') return void response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  if (url.pathname === '/spout-client.js') {
    return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  }
  const list = requestsOf(url.searchParams.get('c') ?? '');
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  list.push({
    lastEventId: header('last-event-id'),
    authorization: header('authorization'),
    response,
    closed: once(request.socket, 'close'),
  });
  openStream(response);
  response.write(`id: ${list.length}\ndata: hello ${list.length}\n\n`);
}

/** Resolves once the page has received `count` events. */
function pageEvents(count: number): Promise<string[]> {
  return page
    .waitForFunction((n) => (window as unknown as PageGlobals).events.length >= n, count)
    .then(() => page.evaluate(() => (window as unknown as PageGlobals).events.slice()));
}

/** A new tab on the test page, its module loaded. */
async function openPage(): Promise<Page> {
  const opened = await browser.newPage();
  await opened.goto(server.url('/'));
  await opened.waitForFunction(() => 'ready' in window);
  return opened;
}

before(
  async () => {
    await buildBundle();
    bundle = await readFile(BUNDLE_PATH);
    server = await startServer(handle);
    browser = await launchChromium();
  },
  { timeout: 60_000 },
);

after(async () => {
  await browser?.close();
  await server?.close();
});

describe('in Chromium, connect() and page visibility (fetch-event-source openWhenHidden)', () => {
  before(async () => {
    page = await openPage();
  });
  after(() => page.close());

  it('by default, hiding the page drops the request; showing it reconnects at once with Last-Event-ID', async () => {
    await page.evaluate(() => {
      const w = window as unknown as PageGlobals;
      w.events = [];
      const stream = w.spout.connect('/events?c=default', { reconnect: { minDelay: 0 } });
      stream.on('message', (event) => w.events.push(`${event.data} #${event.lastEventId}`));
      w.stream = stream;
    });
    const [first] = await waitForStreams('default', 1);
    assert.deepEqual(await pageEvents(1), ['hello 1 #1']);
    await page.evaluate(() => (window as unknown as PageGlobals).setHidden(true));
    await first?.closed;
    assert.equal(requestsOf('default').length, 1);
    await page.evaluate(() => (window as unknown as PageGlobals).setHidden(false));
    const [, second] = await waitForStreams('default', 2);
    assert.equal(second?.lastEventId, '1');
    assert.deepEqual(await pageEvents(2), ['hello 1 #1', 'hello 2 #2']);
    await page.evaluate(() => (window as unknown as PageGlobals).stream.close());
  });

  it('a page hidden from the start makes no request until it is shown', async () => {
    const fetchesWhileHidden = await page.evaluate(async () => {
      const w = window as unknown as PageGlobals;
      w.events = [];
      w.setHidden(true);
      let fetches = 0;
      const counting: typeof fetch = (input, init) => {
        fetches++;
        return fetch(input, init);
      };
      const stream = w.spout.connect('/events?c=hidden-start', { fetch: counting });
      w.stream = stream;
      // Unpaused, the first fetch starts within the microtasks after connect(): a task later it would have.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const whileHidden = fetches;
      stream.on('message', (event) => w.events.push(event.data));
      w.setHidden(false);
      return whileHidden;
    });
    assert.equal(fetchesWhileHidden, 0);
    assert.deepEqual(await pageEvents(1), ['hello 1']);
    assert.equal(requestsOf('hidden-start').length, 1);
    await page.evaluate(() => (window as unknown as PageGlobals).stream.close());
  });

  it('with openWhenHidden: true, the same request goes on through hiding and showing', async () => {
    await page.evaluate(() => {
      const w = window as unknown as PageGlobals;
      w.events = [];
      const stream = w.spout.connect('/events?c=kept', { openWhenHidden: true });
      stream.on('message', (event) => w.events.push(event.data));
      w.stream = stream;
    });
    const [first] = await waitForStreams('kept', 1);
    await pageEvents(1);
    await page.evaluate(() => {
      const w = window as unknown as PageGlobals;
      w.setHidden(true);
      w.setHidden(false);
    });
    // An event written after the changes arrives on the first request: it was never dropped.
    first?.response.write('data: still here\n\n');
    assert.deepEqual(await pageEvents(2), ['hello 1', 'still here']);
    assert.equal(requestsOf('kept').length, 1);
    await page.evaluate(() => (window as unknown as PageGlobals).stream.close());
  });
});

describe("in Chromium, the bundle's EventSource", () => {
  it('sends credentials in the URL as Basic authorization, and url keeps them', async () => {
    const page = await openPage();
    try {
      const withCredentials = server
        .url('/events?c=credentials')
        .replace('http://', 'http://al%20ice:p%40ss@');
      const result = await page.evaluate(async (url) => {
        const { EventSource } = (window as unknown as PageGlobals).spout;
        const source = new EventSource(url);
        const data = await new Promise((resolve) => {
          source.onmessage = (event) => resolve(event.data);
        });
        source.close();
        return { data, url: source.url };
      }, withCredentials);
      assert.deepEqual(result, { data: 'hello 1', url: withCredentials });
      assert.equal(requestsOf('credentials')[0]?.authorization, `Basic ${btoa('al ice:p@ss')}`);
    } finally {
      await page.close();
    }
  });

  it('[webidl] has read-only, non-configurable constants like the native one, and throws a TypeError without a URL', async () => {
    const page = await openPage();
    try {
      const result = await page.evaluate(() => {
        const { EventSource: Spout } = (window as unknown as PageGlobals).spout;
        const descriptors = (Interface: unknown) =>
          ['CONNECTING', 'OPEN', 'CLOSED'].flatMap((name) => [
            Object.getOwnPropertyDescriptor(Interface, name),
            Object.getOwnPropertyDescriptor((Interface as { prototype: object }).prototype, name),
          ]);
        const failure = (Interface: unknown) => {
          try {
            new (Interface as new () => unknown)();
            return 'no error';
          } catch (error) {
            return (error as Error).constructor.name;
          }
        };
        return {
          spout: descriptors(Spout),
          native: descriptors(EventSource),
          errors: [failure(Spout), failure(EventSource)],
        };
      });
      assert.deepEqual(result.spout, result.native);
      assert.deepEqual(result.errors, ['TypeError', 'TypeError']);
    } finally {
      await page.close();
    }
  });
});
