/**
 * Private updates in the browser: each user's notifications page listens to
 * every user's topic (a URI template), with a cookie whose token names only
 * that user's own topic. The hub must deliver each private notification to
 * its user's page and to no other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { NOTIFICATION_TOPIC_TEMPLATE } from '../../src/demos/topics.ts';
import { newPage, PATIENCE_MS, useUiSuite } from './testing/harness.ts';

const titles = (page: Page) => page.locator('[data-testid=notifications] li[data-id] b').allTextContents();

describe('private notifications in the browser', () => {
  const suite = useUiSuite();

  it("[mercure] a user's private notification never appears on another user's page", async () => {
    // One browser context per user: each has its own mercureAuthorization cookie.
    const pages: Record<string, Page> = {};
    for (const user of ['alice', 'bob', 'carol']) {
      const { page } = await newPage(suite.browser);
      await page.goto(`${suite.hub.url}/ui/demos/notifications?user=${user}`);
      await page.locator('.inbox [data-state=open]').waitFor({ timeout: PATIENCE_MS });
      pages[user] = page;
    }
    // An anonymous subscriber to the same template, with no cookie at all.
    const { page: anonymous } = await newPage(suite.browser);
    await anonymous.goto(
      `${suite.hub.url}/ui/debugger?topic=${encodeURIComponent(NOTIFICATION_TOPIC_TEMPLATE)}`,
    );
    await anonymous.getByText('open (200').waitFor({ timeout: PATIENCE_MS });

    const notify = suite.hub.ui.demos!.notifications.notify;
    await notify('alice', 'for alice only');
    await notify('bob', 'for bob only');
    // The same form the page has: bob's page sends carol a private note.
    await pages.bob!.locator('select[name=to]').selectOption('carol');
    await pages.bob!.locator('input[name=title]').fill('for carol only');
    await pages.bob!.getByRole('button', { name: 'Send' }).click();
    await pages
      .bob!.getByTestId('send-result')
      .filter({ hasText: 'sent to carol' })
      .waitFor({ timeout: PATIENCE_MS });
    // A public announcement last: once a page shows it, the private ones before it have been dealt with.
    await notify('everyone', 'for everyone');

    for (const page of [...Object.values(pages)]) {
      await page.getByTestId('notifications').getByText('for everyone').waitFor({ timeout: PATIENCE_MS });
    }
    await anonymous
      .locator('[data-testid=log] pre.data', { hasText: 'for everyone' })
      .waitFor({ timeout: PATIENCE_MS });

    assert.deepEqual(await titles(pages.alice!), ['for everyone', 'for alice only']);
    assert.deepEqual(await titles(pages.bob!), ['for everyone', 'for bob only']);
    assert.deepEqual(await titles(pages.carol!), ['for everyone', 'for carol only']);
    const seenAnonymously = await anonymous.locator('[data-testid=log] pre.data').allTextContents();
    assert.equal(seenAnonymously.length, 1);
    assert.match(seenAnonymously[0]!, /for everyone/);
    assert.equal(await pages.alice!.getByTestId('unread').getAttribute('data-count'), '2');
  });

  it('switching user replaces the cookie: the page then sees only the new user notifications', async () => {
    const { page } = await newPage(suite.browser);
    await page.goto(`${suite.hub.url}/ui/demos/notifications?user=alice`);
    await page.locator('.inbox [data-state=open]').waitFor({ timeout: PATIENCE_MS });
    await page.locator('button[data-user=carol]').click();
    await page.getByRole('heading', { name: /Inbox of carol/ }).waitFor({ timeout: PATIENCE_MS });
    await page.locator('.inbox [data-state=open]').waitFor({ timeout: PATIENCE_MS });
    const notify = suite.hub.ui.demos!.notifications.notify;
    await notify('alice', 'alice again');
    await notify('carol', 'carol again');
    await page.getByTestId('notifications').getByText('carol again').waitFor({ timeout: PATIENCE_MS });
    assert.deepEqual(await titles(page), ['carol again']);
  });
});
