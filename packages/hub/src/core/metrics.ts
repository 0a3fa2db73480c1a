/**
 * The hub's Prometheus metrics, in a registry of its own (several hubs in one
 * process, as in tests, do not clash).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { DisconnectCause } from './subscriber.ts';

function counter(registry: Registry, name: string, help: string): Counter {
  return new Counter({ name, help, registers: [registry] });
}

function labelledCounter<Label extends string>(
  registry: Registry,
  name: string,
  help: string,
  label: Label,
): Counter<Label> {
  return new Counter({ name, help, labelNames: [label], registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string): Gauge {
  return new Gauge({ name, help, registers: [registry] });
}

/** Counters and gauges the hub updates as it works. */
export class HubMetrics {
  readonly registry = new Registry();
  readonly subscribers = gauge(this.registry, 'spout_hub_subscribers', 'Subscribers connected now.');
  readonly publishes = counter(
    this.registry,
    'spout_hub_published_updates_total',
    'Updates accepted from publishers (a batch counts each update).',
  );
  readonly publishRequests = labelledCounter(
    this.registry,
    'spout_hub_publish_requests_total',
    'Publish requests answered, by status code.',
    'status',
  );
  /** The 200 series of publishRequests, looked up once rather than per request. */
  readonly publishedOk = this.publishRequests.labels('200');
  readonly deliveries = counter(
    this.registry,
    'spout_hub_deliveries_total',
    'Updates written to subscribers (one update to ten subscribers counts ten).',
  );
  readonly replays = counter(
    this.registry,
    'spout_hub_replays_total',
    'Subscriptions that asked for history (Last-Event-ID).',
  );
  readonly replayedUpdates = counter(
    this.registry,
    'spout_hub_replayed_updates_total',
    'Updates sent from history.',
  );
  readonly disconnects = labelledCounter(
    this.registry,
    'spout_hub_disconnects_total',
    'Subscribers disconnected, by cause (client, overflow, expired, shutdown, gap, error, server).',
    'cause',
  );
  readonly publishToWrite = new Histogram({
    name: 'spout_hub_publish_to_write_seconds',
    help: 'From the store accepting an update to its bytes being queued on every matching subscriber.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly rejections = labelledCounter(
    this.registry,
    'spout_hub_rejected_requests_total',
    'Requests refused, by reason (unauthorized, forbidden, limit, bad_request).',
    'reason',
  );

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'spout_hub_' });
  }

  disconnected(cause: DisconnectCause): void {
    this.disconnects.inc({ cause });
  }
}
