/**
 * Cutting the connection from the server side (a TCP proxy between the
 * browser and the hub drops every socket): the browser reconnects, sends
 * Last-Event-ID, and the page shows every event exactly once, in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type CuttingProxy, newPage, PATIENCE_MS, startProxy, useUiSuite } from './testing/harness.ts';

/** Per-symbol first and last sequence numbers shown, and the page's own tally. */
async function priceBoard(page: Page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('tr[data-symbol]')].map((row) => ({
      first: Number(row.getAttribute('data-first')),
      last: Number(row.getAttribute('data-seq')),
    }));
    const tally = document.querySelector('[data-testid=tally]')!;
    return {
      rows,
      ticks: Number(tally.getAttribute('data-ticks')),
      gaps: Number(tally.getAttribute('data-gaps')),
      duplicates: Number(tally.getAttribute('data-duplicates')),
    };
  });
}

const subscribeHeads = (proxy: CuttingProxy) =>
  proxy.requests().filter((head) => head.startsWith('GET /.well-known/mercure?'));

const lastEventIdOf = (head: string) => /^last-event-id: *(.*)$/im.exec(head)?.[1];

describe('reconnection after a server-side cut', () => {
  const suite = useUiSuite({ demos: { prices: 200 } });
  let proxy: CuttingProxy;
  before(async () => {
    proxy = await startProxy(Number(new URL(suite.hub.url).port));
  });
  after(async () => {
    await proxy?.close();
  });

  it('[spec] the browser EventSource reconnects with Last-Event-ID and the prices page shows every tick exactly once, in order', async () => {
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${proxy.url}/ui/demos/prices`);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=tally]')?.getAttribute('data-ticks')) >= 18,
      null,
      {
        timeout: PATIENCE_MS,
      },
    );
    const before = await priceBoard(page);
    const headsBefore = subscribeHeads(proxy).length;
    assert.ok(proxy.cut() > 0);
    await page.locator('[data-state=reconnecting]').waitFor({ timeout: PATIENCE_MS });
    await page.locator('[data-state=open]').waitFor({ timeout: PATIENCE_MS });
    // Ticks published while the browser waited to reconnect arrive from history, then live ones follow.
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=tally]')?.getAttribute('data-ticks')) >= n,
      before.ticks + 6 * 20,
      { timeout: PATIENCE_MS },
    );
    const resumed = subscribeHeads(proxy).slice(headsBefore);
    assert.ok(resumed.length >= 1, 'the browser subscribed again after the cut');
    const sent = lastEventIdOf(resumed[0]!);
    assert.ok(sent, 'the reconnect carries a Last-Event-ID header');
    assert.match(
      (await page.getByTestId('connlog').textContent()) ?? '',
      new RegExp(`reconnects with Last-Event-ID: ${sent}`),
    );
    const after = await priceBoard(page);
    assert.equal(after.gaps, 0, 'no tick missed');
    assert.equal(after.duplicates, 0, 'no tick shown twice');
    // Exactly once: the number of ticks shown equals the span of sequence numbers seen, symbol by symbol.
    const span = after.rows.reduce((sum, row) => sum + row.last - row.first + 1, 0);
    assert.equal(after.ticks, span);
    for (const [i, row] of after.rows.entries()) assert.ok(row.last > before.rows[i]!.last + 10);
    await context.close();
  });

  it('[spec] the debugger reconnects after each cut, shows the Last-Event-ID it sent, and lists every event once in order', async () => {
    const topic = 'https://example.com/e2e/resume';
    const token = await suite.hub.token({ publish: [topic] });
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${proxy.url}/ui/debugger?topic=${encodeURIComponent(topic)}`);
    await page.getByText('open (200').first().waitFor({ timeout: PATIENCE_MS });
    const total = 30;
    for (let n = 1; n <= total; n++) {
      const response = await suite.hub.publish({ topic, data: String(n), id: `resume-${n}` }, token);
      assert.equal(response.status, 200);
      await response.text();
      if (n === 10 || n === 20) {
        // Wait until the page has seen this event, so the cut lands between two known events.
        await page
          .locator('[data-testid=log] td.id', { hasText: `resume-${n}` })
          .waitFor({ timeout: PATIENCE_MS });
        proxy.cut();
      }
    }
    await page
      .locator('[data-testid=log] td.id', { hasText: `resume-${total}` })
      .waitFor({ timeout: PATIENCE_MS });
    const rows = await page.locator('[data-testid=log] tr.event pre.data').allTextContents();
    assert.deepEqual(
      rows.reverse(),
      Array.from({ length: total }, (_, i) => String(i + 1)),
    );
    const log = (await page.locator('[data-testid=log] tr.connection').allTextContents())
      .reverse()
      .join('\n');
    assert.match(log, /reconnect #1 — sent Last-Event-ID: resume-10/);
    assert.match(log, /reconnect #2 — sent Last-Event-ID: resume-20/);
    const sent = subscribeHeads(proxy).map(lastEventIdOf);
    assert.ok(sent.includes('resume-10') && sent.includes('resume-20'));
    await context.close();
  });
});
