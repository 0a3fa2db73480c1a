/**
 * Browser end to end: every page of the UI against the real hub, each demo
 * showing live updates in headless Chromium.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRICE_SYMBOLS } from '../../src/demos/topics.ts';
import { newPage, PATIENCE_MS, useUiSuite } from './testing/harness.ts';

describe('UI pages and demos in a browser', () => {
  const suite = useUiSuite();

  it('home page says what is running and links to every page', async () => {
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${suite.hub.url}/`);
    assert.equal(new URL(page.url()).pathname, '/ui/');
    await page
      .getByTestId('demos')
      .filter({ hasText: 'prices, notifications, ride' })
      .waitFor({ timeout: PATIENCE_MS });
    const running = (await page.getByTestId('running').textContent()) ?? '';
    assert.match(running, /Version\s*0\.\d+\.\d+/);
    assert.match(running, /Transport\s*HTTP\/1\.1/);
    assert.ok(running.includes(suite.hub.hubUrl), running);
    const links = await page
      .locator('a.card.link')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [
      '/ui/debugger',
      '/ui/status',
      '/ui/demos/prices',
      '/ui/demos/notifications',
      '/ui/demos/ride/rider',
      '/ui/demos/ride/driver',
    ]);
    await context.close();
  });

  it('live prices: every symbol gets ticks, prices change, and sparklines draw', async () => {
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${suite.hub.url}/ui/demos/prices`);
    for (const symbol of PRICE_SYMBOLS) {
      await page.waitForFunction(
        (s) => Number(document.querySelector(`tr[data-symbol="${s}"]`)?.getAttribute('data-seq')) >= 3,
        symbol,
        { timeout: PATIENCE_MS },
      );
    }
    const first = await page.getByTestId('price-AAPL').textContent();
    const seq = Number(await page.locator('tr[data-symbol="AAPL"]').getAttribute('data-seq'));
    await page.waitForFunction(
      (s) => Number(document.querySelector('tr[data-symbol="AAPL"]')?.getAttribute('data-seq')) > s + 2,
      seq,
      {
        timeout: PATIENCE_MS,
      },
    );
    assert.match(first!, /^\d+\.\d\d$/);
    assert.ok((await page.locator('svg.spark polyline').count()) >= PRICE_SYMBOLS.length);
    const tally = page.getByTestId('tally');
    assert.equal(await tally.getAttribute('data-gaps'), '0');
    assert.equal(await tally.getAttribute('data-duplicates'), '0');
    await context.close();
  });

  it('live prices: the drop button closes the stream and resumes from the last id with no missed tick', async () => {
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${suite.hub.url}/ui/demos/prices`);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=tally]')?.getAttribute('data-ticks')) >= 12,
      null,
      {
        timeout: PATIENCE_MS,
      },
    );
    await page.getByTestId('drop').click();
    await page.locator('[data-state=dropped]').waitFor({ timeout: PATIENCE_MS });
    const during = Number(await page.getByTestId('tally').getAttribute('data-ticks'));
    await page.locator('[data-state=open]').waitFor({ timeout: PATIENCE_MS });
    // A 3 s pause at one tick per 250 ms: the resume must deliver what was published meanwhile.
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=tally]')?.getAttribute('data-ticks')) >= n + 6 * 12,
      during,
      {
        timeout: PATIENCE_MS,
      },
    );
    const tally = page.getByTestId('tally');
    assert.equal(await tally.getAttribute('data-gaps'), '0');
    assert.equal(await tally.getAttribute('data-duplicates'), '0');
    assert.match(
      (await page.getByTestId('connlog').textContent()) ?? '',
      /reconnecting with lastEventID=\S+/,
    );
    await context.close();
  });

  it('notifications: a notification sent from the form shows up live with an unread badge', async () => {
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${suite.hub.url}/ui/demos/notifications?user=bob`);
    await page.locator('.inbox [data-state=open]').waitFor({ timeout: PATIENCE_MS });
    await page.locator('select[name=to]').selectOption('bob');
    await page.locator('input[name=title]').fill('Lunch at noon?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('notifications').getByText('Lunch at noon?').waitFor({ timeout: PATIENCE_MS });
    assert.equal(await page.getByTestId('unread').textContent(), '1');
    assert.equal(await page.title(), '(1) Notifications · bob');
    await page.getByRole('button', { name: 'Mark all read' }).click();
    assert.equal(await page.getByTestId('unread').getAttribute('data-count'), '0');
    await context.close();
  });

  it('ride: the rider and driver pages follow the same trip live, with the car moving', async () => {
    const { context, page: rider } = await newPage(suite.browser);
    const driver = await context.newPage();
    await Promise.all([
      rider.goto(`${suite.hub.url}/ui/demos/ride/rider`),
      driver.goto(`${suite.hub.url}/ui/demos/ride/driver`),
    ]);
    await rider.getByRole('button', { name: 'Request a new ride' }).click();
    for (const page of [rider, driver]) {
      await page.locator('[data-testid=ride][data-state=arriving]').waitFor({ timeout: PATIENCE_MS });
    }
    const position = async () =>
      rider.getByTestId('car').evaluate((c) => `${c.getAttribute('data-x')},${c.getAttribute('data-y')}`);
    const before = await position();
    await rider.waitForFunction(
      (p) => {
        const car = document.querySelector('[data-testid=car]');
        return car && `${car.getAttribute('data-x')},${car.getAttribute('data-y')}` !== p;
      },
      before,
      { timeout: PATIENCE_MS },
    );
    for (const page of [rider, driver]) {
      await page.locator('[data-testid=ride][data-state=completed]').waitFor({ timeout: PATIENCE_MS });
    }
    assert.match((await driver.locator('.ride h2').textContent()) ?? '', /Trip completed/);
    assert.match((await rider.locator('.ride h2').textContent()) ?? '', /You have arrived/);
    await context.close();
  });

  it('status panel: counters and rates arrive over SSE', async () => {
    const { context, page } = await newPage(suite.browser);
    await page.goto(`${suite.hub.url}/ui/status`);
    // The demos keep publishing, so publishes per second and the store position climb above zero.
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=publishes]')?.textContent) > 0,
      null,
      {
        timeout: PATIENCE_MS,
      },
    );
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=store]')?.textContent) > 0,
      null,
      {
        timeout: PATIENCE_MS,
      },
    );
    assert.equal(await page.locator('.chart canvas').count(), 1);
    await context.close();
  });

  it('debugger: subscribes, shows published events with id, type and data, and publishes from its form', async () => {
    const { context, page } = await newPage(suite.browser);
    const token = await suite.hub.token({ publish: ['*'], subscribe: ['*'] });
    await page.goto(
      `${suite.hub.url}/ui/debugger?topic=${encodeURIComponent('https://example.com/books/{id}')}`,
    );
    await page.getByText('open (200').waitFor({ timeout: PATIENCE_MS });
    await page.locator('textarea[name=topics]').nth(1).fill('https://example.com/books/1');
    await page.locator('textarea[name=data]').fill('line one\nline two');
    await page.locator('input[name=type]').fill('book.updated');
    await page.locator('input[name=id]').fill('urn:e2e:book-1');
    await page.locator('input[name=publishToken]').fill(token);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page
      .getByTestId('publish-result')
      .filter({ hasText: 'published, id urn:e2e:book-1' })
      .waitFor({ timeout: PATIENCE_MS });
    const row = page.locator('[data-testid=log] tr.event').first();
    await row.waitFor({ timeout: PATIENCE_MS });
    assert.equal(await row.locator('td.id').textContent(), 'urn:e2e:book-1');
    assert.equal(await row.locator('td').nth(2).textContent(), 'book.updated');
    assert.equal(await row.locator('pre.data').textContent(), 'line one\nline two');
    await context.close();
  });

  it('debugger: with a subscriber token it receives private updates; with a bad token it shows the hub refusal and stops', async () => {
    const topic = 'https://example.com/e2e/private-debug';
    const { context, page } = await newPage(suite.browser);
    const subscribeToken = await suite.hub.token({ subscribe: [topic] });
    await page.goto(
      `${suite.hub.url}/ui/debugger?topic=${encodeURIComponent(topic)}&token=${subscribeToken}`,
    );
    await page.getByText('open (200').waitFor({ timeout: PATIENCE_MS });
    const publishToken = await suite.hub.token({ publish: [topic] });
    const published = await suite.hub.publish(
      { topic, data: 'secret', private: 'on', id: 'urn:e2e:private-1' },
      publishToken,
    );
    assert.equal(published.status, 200);
    await page
      .locator('[data-testid=log] td.id', { hasText: 'urn:e2e:private-1' })
      .waitFor({ timeout: PATIENCE_MS });

    await page.goto(`${suite.hub.url}/ui/debugger?topic=${encodeURIComponent(topic)}&token=not.a.jwt`);
    await page.getByText(/hub answered 401/).waitFor({ timeout: PATIENCE_MS });
    assert.equal(await page.locator('h2 [data-state]').first().getAttribute('data-state'), 'stopped');
    await context.close();
  });
});
