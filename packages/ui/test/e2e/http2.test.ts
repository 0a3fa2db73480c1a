/**
 * Why the hub speaks HTTP/2: a browser opens at most six HTTP/1.1
 * connections per origin, so the seventh EventSource on a page waits. Over
 * HTTP/2 with TLS (certificate made for this run) all streams share one
 * connection and ten EventSources are open at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { selfSignedCertificate } from '../../../../testing/tls.ts';
import { launchBrowser, newPage, PATIENCE_MS, startUiHub, type UiHub } from './testing/harness.ts';

/** Opens `count` EventSources on distinct topics from the page; returns the protocol the page was loaded over. */
async function openMany(page: Page, count: number): Promise<string> {
  return page.evaluate((n) => {
    const w = window as unknown as { sources: EventSource[]; opened: number; received: number };
    w.sources = [];
    w.opened = 0;
    w.received = 0;
    for (let i = 0; i < n; i++) {
      const source = new EventSource(
        `/.well-known/mercure?topic=${encodeURIComponent(`https://example.com/streams/${i}`)}`,
      );
      source.onopen = () => {
        w.opened += 1;
      };
      source.onmessage = () => {
        w.received += 1;
      };
      w.sources.push(source);
    }
    return (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).nextHopProtocol;
  }, count);
}

const opened = (page: Page) => page.evaluate(() => (window as unknown as { opened: number }).opened);
const states = (page: Page) =>
  page.evaluate(() => (window as unknown as { sources: EventSource[] }).sources.map((s) => s.readyState));

describe('many EventSources on one page', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('[spec] over HTTP/2 with TLS, ten EventSources on one page are all open at once', async () => {
    const hub: UiHub = await startUiHub({ demos: false, listen: selfSignedCertificate() });
    try {
      assert.match(hub.url, /^https:/);
      const { context, page } = await newPage(browser, { ignoreHTTPSErrors: true });
      await page.goto(`${hub.url}/ui/`);
      assert.equal(await openMany(page, 10), 'h2');
      await page.waitForFunction(() => (window as unknown as { opened: number }).opened === 10, null, {
        timeout: PATIENCE_MS,
      });
      assert.deepEqual(await states(page), Array(10).fill(1));
      // The status panel, itself an SSE stream over the same HTTP/2 connection, counts the ten.
      const status = await context.newPage();
      await status.goto(`${hub.url}/ui/status`);
      await status.waitForFunction(
        () => document.querySelector('[data-testid=subscribers]')?.textContent === '10',
        null,
        {
          timeout: PATIENCE_MS,
        },
      );
      await context.close();
    } finally {
      await hub.close();
    }
  });

  it('over HTTP/1.1, the browser opens six and holds the rest until one closes', async () => {
    const hub: UiHub = await startUiHub({ demos: false });
    try {
      const { context, page } = await newPage(browser);
      await page.goto(`${hub.url}/ui/`);
      assert.equal(await openMany(page, 10), 'http/1.1');
      await page.waitForFunction(() => (window as unknown as { opened: number }).opened === 6, null, {
        timeout: PATIENCE_MS,
      });
      // The other four stay CONNECTING: the per-origin limit of six connections, not a hub refusal.
      const token = await hub.token({ publish: ['*'] });
      const response = await hub.publish(
        [
          ...Array.from(
            { length: 10 },
            (_, i) => ['topic', `https://example.com/streams/${i}`] as [string, string],
          ),
          ['data', 'ping'],
        ],
        token,
      );
      assert.equal(response.status, 200);
      // The update reaches the six open streams; the waiting four never asked for it.
      await page.waitForFunction(() => (window as unknown as { received: number }).received === 6, null, {
        timeout: PATIENCE_MS,
      });
      await page.waitForTimeout(500);
      assert.equal(await opened(page), 6);
      assert.deepEqual((await states(page)).filter((state) => state === 0).length, 4);
      // Closing one frees a connection; the browser then opens a waiting one.
      await page.evaluate(() => (window as unknown as { sources: EventSource[] }).sources[0]!.close());
      await page.waitForFunction(() => (window as unknown as { opened: number }).opened === 7, null, {
        timeout: PATIENCE_MS,
      });
      await context.close();
    } finally {
      await hub.close();
    }
  });
});
