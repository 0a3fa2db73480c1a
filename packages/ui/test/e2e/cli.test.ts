/**
 * What a newcomer does: run the hub in development mode, open the printed
 * web UI URL, and see the demos live, with no other step.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, PATIENCE_MS } from './testing/harness.ts';

// The hub's `spout` command, beside its entry point (the package exports only that).
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.resolve('@spout/hub')));

/** Starts `spout hub --dev` on a free port and resolves with the web UI URL it prints. */
async function startDevHub(): Promise<{ child: ChildProcess; uiUrl: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, 'hub', '--dev', '--port', '0', '--store', 'memory'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const uiUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no web UI URL printed within ${PATIENCE_MS} ms:\n${output}`)),
      PATIENCE_MS,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /web UI:\s+(\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`hub exited with ${code} before printing its URL:\n${output}`)),
    );
  });
  return { child, uiUrl, output: () => output };
}

describe('spout hub --dev serves the web UI and demos', () => {
  let hub: Awaited<ReturnType<typeof startDevHub>>;
  let browser: Browser;
  before(async () => {
    [hub, browser] = await Promise.all([startDevHub(), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    if (hub && hub.child.exitCode === null) {
      hub.child.kill('SIGKILL');
    }
  });

  it('the printed URL shows the home page with the three demos running, and the prices demo ticks', async () => {
    const { context, page } = await newPage(browser);
    await page.goto(hub.uiUrl);
    await page
      .getByTestId('demos')
      .filter({ hasText: 'prices, notifications, ride' })
      .waitFor({ timeout: PATIENCE_MS });
    await page.locator('a.card.link', { hasText: 'Live prices' }).click();
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=tally]')?.getAttribute('data-ticks')) >= 12,
      null,
      {
        timeout: PATIENCE_MS,
      },
    );
    await context.close();
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = once(hub.child, 'exit');
    hub.child.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0, hub.output());
  });
});
