/**
 * Takes the docs' screenshots of every UI page against a real hub with the
 * demos running. Not a test: run it by hand after changing a page.
 *   npm exec -- node --conditions=spout-source packages/ui/test/e2e/screenshots.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, newPage, PATIENCE_MS, startUiHub } from './testing/harness.ts';

const OUT = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
  console.log(`docs/screenshots/${name}.png`);
}

mkdirSync(OUT, { recursive: true });
const hub = await startUiHub({ demos: { prices: 500, notifications: 4000, ride: 600 } });
const browser = await launchBrowser();
try {
  const { page } = await newPage(browser);
  await page.goto(`${hub.url}/ui/`);
  await page.getByTestId('demos').filter({ hasText: 'prices' }).waitFor({ timeout: PATIENCE_MS });
  await shoot(page, 'home');

  await page.goto(`${hub.url}/ui/demos/prices`);
  await page.waitForFunction(
    () => Number(document.querySelector('tr[data-symbol=NVDA]')?.getAttribute('data-seq')) >= 20,
    null,
    {
      timeout: PATIENCE_MS,
    },
  );
  await page.getByTestId('drop').click();
  await page.locator('[data-state=open]').waitFor({ timeout: PATIENCE_MS });
  await page.waitForTimeout(1500);
  await shoot(page, 'prices');

  const viewer = await page.context().newPage();
  await viewer.goto(`${hub.url}/ui/demos/prices`);
  await page.goto(`${hub.url}/ui/status`);
  await page.waitForTimeout(8000);
  await shoot(page, 'status');
  await viewer.close();

  const token = await hub.token({ publish: ['*'], subscribe: ['*'] });
  await page.goto(
    `${hub.url}/ui/debugger?topic=${encodeURIComponent('https://demo.spout.dev/rides/{trip}')}&token=${token}`,
  );
  await page.waitForTimeout(2500);
  await page.locator('textarea[name=topics]').nth(1).fill('https://demo.spout.dev/rides/demo-trip');
  await page.locator('textarea[name=data]').fill('{"note":"published from the debugger"}');
  await page.locator('input[name=type]').fill('note');
  await page.locator('input[name=publishToken]').fill(token);
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.waitForTimeout(1000);
  await shoot(page, 'debugger');

  await page.goto(`${hub.url}/ui/demos/notifications?user=alice`);
  await page.locator('.inbox [data-state=open]').waitFor({ timeout: PATIENCE_MS });
  for (const [to, title] of [
    ['alice', 'Your order shipped'],
    ['everyone', 'Maintenance at 22:00'],
    ['alice', 'New comment on your post'],
    ['bob', 'Only for Bob'],
  ]) {
    await hub.ui.demos!.notifications.notify(to!, title!, 'sent by the screenshot script');
  }
  await page.waitForTimeout(800);
  await shoot(page, 'notifications');

  const driver = await page.context().newPage();
  await page.goto(`${hub.url}/ui/demos/ride/rider`);
  await driver.goto(`${hub.url}/ui/demos/ride/driver`);
  await page.getByRole('button', { name: 'Request a new ride' }).click();
  await page.locator('[data-testid=ride][data-state=requested]').waitFor({ timeout: PATIENCE_MS });
  await page.locator('[data-testid=ride][data-state=arriving]').waitFor({ timeout: PATIENCE_MS });
  await page.waitForTimeout(3000);
  await shoot(page, 'ride-rider');
  await shoot(driver, 'ride-driver');
} finally {
  await browser.close();
  await hub.close();
}
