/**
 * What the browser tests share: the real hub with its UI and demos on a free
 * loopback port, headless Debian Chromium (never a downloaded browser), a
 * TCP proxy that can cut connections.
 */
import { createConnection, createServer, type Socket } from 'node:net';
import { after, before } from 'node:test';
import {
  createHub,
  createMemoryStore,
  type ListenOptions,
  listen,
  type MintOptions,
  mintToken,
  type RunningHub,
} from '@spout/hub';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../../../../testing/chromium.ts';
import type { DemosOptions } from '../../../src/demos/index.ts';
import { type StartedUi, startUi } from '../../../src/start-ui.ts';

/** Headless Debian Chromium, shared with the other packages' browser tests. */
export { launchChromium as launchBrowser };

/** The secret the test hub verifies tokens with and the demos sign with. */
const TEST_SECRET = 'spout-ui-test-secret-0123456789abcdef0123456789abcdef';

/** The hub with its UI mounted, as `npm start` runs it, on port 0. */
export interface UiHub extends RunningHub {
  ui: StartedUi;
  /** Mints a token with these `mercure` claims, signed with the test secret. */
  token(claims: Omit<MintOptions, 'secret'>): Promise<string>;
  /** POSTs a form-encoded update; returns the response. */
  publish(fields: [string, string][] | Record<string, string>, token?: string): Promise<Response>;
}

export interface UiHubOptions {
  /** Demo step intervals; `false` runs no demos. Defaults are fast so tests see many updates. */
  demos?: DemosOptions['intervals'] | false;
  listen?: ListenOptions;
}

export async function startUiHub(options: UiHubOptions = {}): Promise<UiHub> {
  let ui: StartedUi | undefined;
  const hub = await createHub({
    store: createMemoryStore(),
    publisherKeys: [{ key: TEST_SECRET }],
    anonymous: true,
    extraHandler: (req, res) => ui?.handle(req, res) ?? false,
  });
  const running = await listen(hub, { port: 0, shutdownTimeoutMs: 1000, ...options.listen });
  ui = await startUi(
    { hubUrl: running.hubUrl, metrics: hub.metrics, store: hub.store },
    {
      secret: TEST_SECRET,
      demos:
        options.demos === false
          ? false
          : { prices: 250, notifications: 3_600_000, ride: 150, ...options.demos },
      onError: (error) => console.error('[e2e ui]', error),
    },
  );
  const started = ui;
  return {
    ...running,
    ui: started,
    token: (claims) => mintToken({ secret: TEST_SECRET, ...claims }),
    publish(fields, token) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();
      return fetch(running.hubUrl, { method: 'POST', headers, body });
    },
    async close() {
      await started.close();
      await running.close();
    },
  };
}

/** A new isolated browser context (own cookies) and page. */
export async function newPage(
  browser: Browser,
  options: { ignoreHTTPSErrors?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: options.ignoreHTTPSErrors ?? false,
    viewport: { width: 1200, height: 800 },
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  return { context, page };
}

/** Generous bound for anything a loaded 2-core machine must do; a passing run never waits this long. */
export const PATIENCE_MS = 30_000;

/**
 * A TCP proxy in front of the hub. It records what the browser sends and can
 * cut every open connection, as a network failure or a restarting proxy would.
 */
export interface CuttingProxy {
  url: string;
  /** Request heads seen so far (start line and headers), oldest first. */
  requests(): string[];
  /** Destroys every connection open now, on both sides. */
  cut(): number;
  close(): Promise<void>;
}

const MAX_RECORDED = 200;

export async function startProxy(targetPort: number): Promise<CuttingProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const heads: string[] = [];
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    let pending = '';
    client.on('data', (chunk: Buffer) => {
      // Requests are small and arrive whole on loopback; keep each head, bounded.
      pending += chunk.toString('latin1');
      let end = pending.indexOf('\r\n\r\n');
      while (end >= 0) {
        if (heads.length < MAX_RECORDED) heads.push(pending.slice(0, end));
        pending = pending.slice(end + 4).replace(/^[^A-Z]*/, '');
        end = pending.indexOf('\r\n\r\n');
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const cut = (): number => {
    const count = pairs.size;
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    return count;
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...heads],
    cut,
    async close() {
      cut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A suite's UI hub and browser, readable inside its tests and the hooks registered after {@link useUiSuite}. */
export interface UiSuite {
  readonly hub: UiHub;
  readonly browser: Browser;
}

/** Starts a UI hub and Chromium (together) before the calling suite's tests, and closes both after them. */
export function useUiSuite(options: UiHubOptions = {}): UiSuite {
  let started: { hub: UiHub; browser: Browser } | undefined;
  before(async () => {
    const [hub, browser] = await Promise.all([startUiHub(options), launchChromium()]);
    started = { hub, browser };
  });
  after(async () => {
    await started?.browser.close();
    await started?.hub.close();
  });
  const current = () => {
    if (started === undefined)
      throw new Error('the UI suite is not started yet: use it inside a test or a later hook');
    return started;
  };
  return {
    get hub() {
      return current().hub;
    },
    get browser() {
      return current().browser;
    },
  };
}
