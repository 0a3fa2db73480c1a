/**
 * Wires the web UI to a listening hub: the status panel reads the hub's
 * metrics, the demos publish to it. This is what @spout/hub calls when it
 * mounts the UI (`--ui`); `createUiHandler` is the lower-level handler.
 * See docs/ui.md.
 */
import { readFileSync } from 'node:fs';
import { type MountedWebUi, mintToken, type WebUiHost } from '@spout/hub';
import { DEMO_PUBLISH_SELECTOR, type Demos, type DemosOptions, startDemos } from './demos/index.ts';
import { createUiHandler, type UiHandler, type UiOptions } from './server/handler.ts';
import { statsFromMetrics } from './server/stats.ts';

// Read, not imported: package.json sits one level up from both src/ and dist/, outside tsc's rootDir.
const UI_VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** What `startUi` needs from a listening hub: its URL, metrics and store. */
export type UiHost = WebUiHost;

export interface StartUiOptions extends Omit<UiOptions, 'demos' | 'stats' | 'mintSubscriberToken'> {
  /**
   * The hub's HMAC secret. It signs the demos' publish token and the
   * notifications demo's subscriber cookie; without it the demos are off.
   */
  secret?: string | undefined;
  /** Run the three demo publishers (needs `secret`). Default true when a secret is given. */
  demos?: boolean | DemosOptions['intervals'] | undefined;
  /** A fetch for the demos' publishes. */
  fetch?: typeof fetch | undefined;
  /** The hub's PEM certificate when it serves TLS: the demos trust it to publish to a self-signed hub. */
  hubCertificate?: string | undefined;
}

/** The UI started by `startUi`: mount `handle`, call `close` at shutdown. */
export interface StartedUi extends MountedWebUi {
  handle: UiHandler['handle'];
  demos: Demos | undefined;
  /** Stops the demos (waiting for their publishes in flight) and the status feed. */
  close(): Promise<void>;
}

/**
 * Wires the UI to a listening hub: the status panel reads the hub's metrics,
 * the demos publish to it with a token signed by `secret`. The hub must
 * already route other paths to the UI, e.g.
 * `createHub({ ..., extraHandler: (req, res) => ui?.handle(req, res) ?? false })`.
 */
export async function startUi(host: UiHost, options: StartUiOptions = {}): Promise<StartedUi> {
  const { secret, demos: demosOption, fetch: fetchFn, hubCertificate, ...uiOptions } = options;
  const startedAt = Date.now();
  let demos: Demos | undefined;
  if (secret !== undefined && demosOption !== false) {
    const token = await mintToken({ secret, publish: [DEMO_PUBLISH_SELECTOR] });
    const intervals = typeof demosOption === 'object' ? demosOption : undefined;
    demos = startDemos({
      hubUrl: host.hubUrl,
      token,
      fetch: fetchFn,
      trustedCertificate: hubCertificate,
      intervals,
      onError: options.onError && ((_name, error) => options.onError!(error)),
    });
  }
  const handler = await createUiHandler({
    ...uiOptions,
    demos,
    info: () => {
      const given = uiOptions.info?.();
      const transport = host.hubUrl.startsWith('https:') ? 'HTTP/2 and HTTP/1.1 over TLS' : 'HTTP/1.1';
      return {
        version: UI_VERSION,
        startedAt,
        ...given,
        details: { Transport: transport, ...given?.details },
      };
    },
    stats: statsFromMetrics(host.metrics, async () => {
      const [size, position] = await Promise.all([host.store.size(), host.store.latestPosition()]);
      return { updates: size.updates, bytes: size.bytes, position };
    }),
    // Only beside running demos (a development hub): a production hub's key signs nothing for the UI.
    mintSubscriberToken:
      secret === undefined || demos === undefined
        ? undefined
        : (topics, expiresInSeconds) => mintToken({ secret, subscribe: topics, expiresInSeconds }),
  });
  return {
    handle: handler.handle,
    demos,
    async close() {
      handler.close();
      await demos?.stop();
    },
  };
}
