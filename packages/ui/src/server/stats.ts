/**
 * The live status feed: samples the hub's counters every second, keeps the
 * last minutes in a ring, and streams them as Server-Sent Events: a
 * `history` event with the ring on connect, then one `sample` per second.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Channel, createSession, type HttpSessionOptions } from '@spout/server';
import type { StatsSample } from '../api.ts';
import type { UiRequest, UiResponse } from './http-types.ts';

/**
 * Viewers are @spout/server sessions: heartbeats, a cap on what a stuck viewer may hold (it is
 * closed past it and its EventSource reconnects, getting the history again), a 2 s reconnect hint.
 */
const VIEWER_OPTIONS: HttpSessionOptions = { retry: 2000, maxBufferedBytes: 64 * 1024 };

export type { StatsSample } from '../api.ts';

/** Running totals the hub exposes; rates are computed here from their deltas. */
export interface HubCounters {
  subscribers: number;
  /** Updates accepted since start. */
  publishes: number;
  /** Updates written to subscribers since start. */
  deliveries: number;
  /** Updates the store keeps now (after retention). */
  storeUpdates?: number | undefined;
  /** Payload bytes of those updates (UTF-8 bytes of their data). */
  storeBytes?: number | undefined;
  /** Position of the newest stored update: how many were ever stored. */
  storePosition?: number | undefined;
}

export type StatsSource = () => HubCounters | Promise<HubCounters>;

/** A prom-client metric's current value (the UI reads the hub's own metrics, nothing counted twice). */
interface ReadableMetric {
  get(): Promise<{ values: { value: number }[] }>;
}

/** A StatsSource over the hub's Prometheus metrics, plus an optional store size probe. */
export function statsFromMetrics(
  metrics: { subscribers: ReadableMetric; publishes: ReadableMetric; deliveries: ReadableMetric },
  storeSize?: () => Promise<{ updates?: number; bytes?: number; position?: number }>,
): StatsSource {
  const read = async (metric: ReadableMetric): Promise<number> =>
    (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
  return async () => {
    const [subscribers, publishes, deliveries, size] = await Promise.all([
      read(metrics.subscribers),
      read(metrics.publishes),
      read(metrics.deliveries),
      storeSize?.(),
    ]);
    return {
      subscribers,
      publishes,
      deliveries,
      storeUpdates: size?.updates,
      storeBytes: size?.bytes,
      storePosition: size?.position,
    };
  };
}

export interface StatsFeedOptions {
  intervalMs?: number;
  /** Samples kept and replayed to a new viewer. */
  window?: number;
  /** Viewers at once; more get 503. */
  maxViewers?: number;
  onError?: (error: unknown) => void;
}

export class StatsFeed {
  readonly #source: StatsSource;
  readonly #window: number;
  readonly #maxViewers: number;
  readonly #viewers = new Channel();
  readonly #samples: StatsSample[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #onError: (error: unknown) => void;
  #previous: { at: number; counters: HubCounters } | undefined;
  #sampling = false;

  constructor(source: StatsSource, options: StatsFeedOptions = {}) {
    this.#source = source;
    this.#window = options.window ?? 300;
    this.#maxViewers = options.maxViewers ?? 100;
    this.#onError = options.onError ?? ((error) => console.error('[ui stats]', error));
    this.#timer = setInterval(() => void this.#sample(), options.intervalMs ?? 1000);
    this.#timer.unref();
    void this.#sample();
  }

  /** The samples kept, oldest first. */
  get samples(): readonly StatsSample[] {
    return this.#samples;
  }

  /** True when the viewer was attached; false when the cap is reached (the caller answers 503). */
  attach(req: UiRequest, res: UiResponse): boolean {
    if (this.#viewers.size >= this.#maxViewers) return false;
    // UiRequest and UiResponse are the slices of node:http (or the HTTP/2 compatibility API) they come from.
    const session = createSession(req as IncomingMessage, res as ServerResponse, VIEWER_OPTIONS);
    session.sendEvent({ event: 'history', data: JSON.stringify(this.#samples) });
    void this.#viewers.join(session);
    return true;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#viewers.close();
  }

  async #sample(): Promise<void> {
    if (this.#sampling) return; // a slow source skips a beat rather than stacking calls
    this.#sampling = true;
    try {
      const counters = await this.#source();
      const at = Date.now();
      const previous = this.#previous;
      this.#previous = { at, counters };
      if (!previous) return;
      const seconds = Math.max((at - previous.at) / 1000, 0.001);
      const rate = (now: number, before: number): number => Math.max(0, Math.round((now - before) / seconds));
      const sample: StatsSample = {
        at,
        subscribers: counters.subscribers,
        publishesPerSecond: rate(counters.publishes, previous.counters.publishes),
        deliveriesPerSecond: rate(counters.deliveries, previous.counters.deliveries),
        storeUpdates: counters.storeUpdates,
        storeBytes: counters.storeBytes,
        storePosition: counters.storePosition,
      };
      this.#samples.push(sample);
      if (this.#samples.length > this.#window) this.#samples.shift();
      void this.#viewers.broadcastEvent({ event: 'sample', data: JSON.stringify(sample) });
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#sampling = false;
    }
  }
}
