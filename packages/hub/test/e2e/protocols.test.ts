/**
 * Both Mercure protocols on one hub ([issue 16] done when): a page of the hub's origin subscribes with a
 * native EventSource and the authorization cookie, once as a current-protocol client (`match_urlpattern`,
 * an at+jwt access token) and once as a classic one (`topic`, a `mercure` claim); Node clients of both
 * protocols subscribe beside them with the Authorization header. Each receives the private update its
 * token grants and not the other one.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../../../testing/chromium.ts';
import { authorizationCookie } from '../../src/http/discovery.ts';
import { mintAccessToken } from '../../src/testing/access-token.ts';
import { useTestHub } from '../../src/testing/hub-fixture.ts';
import { openStream } from '../../src/testing/sse-reader.ts';

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

describe('both protocols on one hub: Chromium (EventSource, cookie) and Node (Authorization header)', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  // Registered before the hub's hooks: the browser, and its streams, close before the hub does.
  after(async () => {
    await browser?.close();
  });
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const token = new URL(req.url ?? '/', 'http://page').searchParams.get('token');
    const login = token === null ? {} : { 'set-cookie': authorizationCookie(token) };
    res.writeHead(200, { 'content-type': 'text/html', ...login }).end(PAGE);
    return true;
  };
  const hub = useTestHub({ anonymous: true, extraHandler: serve as never });

  async function pageWithCookie(token: string): Promise<Page> {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'mercureAuthorization', value: token, url: hub.url }]);
    const page = await context.newPage();
    await page.goto(`${hub.url}/page`);
    return page;
  }

  /**
   * A page whose application set the cookie with `authorizationCookie` (Secure, HttpOnly, SameSite,
   * named by the token's protocol; Chromium counts the loopback origin as secure) and shows the names.
   */
  async function pageLoggedIn(token: string): Promise<{ page: Page; cookieNames: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${hub.url}/login?token=${encodeURIComponent(token)}`);
    const cookies = await context.cookies();
    return { page, cookieNames: cookies.map((cookie) => cookie.name) };
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

  it('current and classic clients in Chromium (cookie) and from Node (header) share one hub, each with its cookie name', async () => {
    const grant = (topic: string) => [{ actions: ['subscribe'], topics: [{ match: topic }] }];
    const browserCurrent = await pageLoggedIn(
      await mintAccessToken({ aud: hub.hubUrl, details: grant('https://e.com/items/1') }),
    );
    const browserClassic = await pageLoggedIn(await hub.token({ subscribe: ['https://e.com/items/2'] }));
    // [spec] current: the RECOMMENDED __Secure-mercure_access_token; classic: mercureAuthorization
    assert.deepEqual(browserCurrent.cookieNames, ['__Secure-mercure_access_token']);
    assert.deepEqual(browserClassic.cookieNames, ['mercureAuthorization']);
    await subscribe(browserCurrent.page, `match_urlpattern=${encodeURIComponent('https://e.com/items/:id')}`);
    await subscribe(browserClassic.page, `topic=${encodeURIComponent('https://e.com/items/{id}')}`);
    const nodeAccess = await mintAccessToken({ aud: hub.hubUrl, details: grant('https://e.com/items/3') });
    const nodeCurrent = await openStream(hub.urlWith([['match_urlpattern', 'https://e.com/items/:id']]), {
      authorization: `Bearer ${nodeAccess}`,
    });
    const nodeClassic = await openStream(hub.subscribeUrl(['https://e.com/items/{id}']), {
      authorization: `Bearer ${await hub.token({ subscribe: ['https://e.com/items/4'] })}`,
    });
    // A publisher of each protocol: an at+jwt with a publish grant, and a classic mercure.publish claim.
    const currentPublisher = await mintAccessToken({
      aud: hub.hubUrl,
      details: [{ actions: ['publish'], topics: [{ match: '*' }] }],
    });
    const classicPublisher = await hub.token({ publish: ['*'] });
    for (const [n, publisher] of [
      [1, currentPublisher],
      [2, classicPublisher],
      [3, currentPublisher],
      [4, classicPublisher],
    ] as const) {
      const res = await hub.publish(
        { topic: `https://e.com/items/${n}`, data: `item ${n}`, private: 'on' },
        publisher,
      );
      assert.equal(res.status, 200);
    }
    await hub.publish({ topic: 'https://e.com/items/5', data: 'public' }, classicPublisher);
    assert.deepEqual(await received(browserCurrent.page, 2), ['item 1', 'public']);
    assert.deepEqual(await received(browserClassic.page, 2), ['item 2', 'public']);
    const dataOf = async (stream: typeof nodeCurrent) => (await stream.waitForEvents(2)).map((e) => e.data);
    assert.deepEqual(await dataOf(nodeCurrent), ['item 3', 'public']);
    assert.deepEqual(await dataOf(nodeClassic), ['item 4', 'public']);
    nodeCurrent.close();
    nodeClassic.close();
  });
});
