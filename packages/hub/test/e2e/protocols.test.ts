/**
 * Both Mercure protocols in the browser, on one hub: a page of the hub's origin subscribes with a
 * native EventSource and the authorization cookie, once as a current-protocol client (`match_urlpattern`,
 * an at+jwt access token) and once as a classic one (`topic`, a `mercure` claim). Each receives the
 * private update its token grants and not the other one.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../testing/chromium.ts';
import { mintAccessToken } from '../../src/testing/access-token.ts';
import { startTestHub, type TestHub } from '../../src/testing/test-hub.ts';

const PATIENCE_MS = 30_000;
const PAGE = '<!doctype html><title>subscriber</title>';

/** Opens an EventSource in the page; its messages collect in `window.received`. */
async function subscribe(page: Page, query: string): Promise<void> {
  await page.evaluate((q) => {
    const w = window as unknown as { received: string[] };
    w.received = [];
    const source = new EventSource(`/.well-known/mercure?${q}`, { withCredentials: true });
    source.onmessage = (event) => w.received.push(event.data);
    return new Promise<void>((resolve) => {
      source.onopen = () => resolve();
    });
  }, query);
}

async function received(page: Page, count: number): Promise<string[]> {
  await page.waitForFunction(
    (n) => ((window as unknown as { received?: string[] }).received?.length ?? 0) >= n,
    count,
    { timeout: PATIENCE_MS },
  );
  return page.evaluate(() => (window as unknown as { received: string[] }).received);
}

describe('both protocols in Chromium (EventSource with the cookie)', () => {
  let hub: TestHub;
  let browser: Browser;
  before(async () => {
    const serve = (_req: unknown, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
      return true;
    };
    [hub, browser] = await Promise.all([
      startTestHub({ anonymous: true, extraHandler: serve as never }),
      launchChromium(),
    ]);
  });
  after(async () => {
    await browser?.close();
    await hub?.close();
  });

  async function pageWithCookie(token: string): Promise<Page> {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'mercureAuthorization', value: token, url: hub.url }]);
    const page = await context.newPage();
    await page.goto(`${hub.url}/page`);
    return page;
  }

  it('a current client and a classic client each receive the private updates their token grants', async () => {
    const access = await mintAccessToken({
      aud: hub.hubUrl,
      details: [{ actions: ['subscribe'], topics: [{ match: 'https://e.com/books/1' }] }],
    });
    const classic = await hub.token({ subscribe: ['https://e.com/books/2'] });
    const current = await pageWithCookie(access);
    const old = await pageWithCookie(classic);
    await subscribe(current, `match_urlpattern=${encodeURIComponent('https://e.com/books/:id')}`);
    await subscribe(old, `topic=${encodeURIComponent('https://e.com/books/{id}')}`);
    const publisher = await hub.token({ publish: ['*'] });
    await hub.publish({ topic: 'https://e.com/books/1', data: 'one', private: 'on' }, publisher);
    await hub.publish({ topic: 'https://e.com/books/2', data: 'two', private: 'on' }, publisher);
    await hub.publish({ topic: 'https://e.com/books/3', data: 'public' }, publisher);
    assert.deepEqual(await received(current, 2), ['one', 'public']);
    assert.deepEqual(await received(old, 2), ['two', 'public']);
  });
});
