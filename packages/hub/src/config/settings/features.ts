/**
 * The settings that turn the optional endpoints and keep-alives on or off.
 */
import { CORE_DEFAULTS } from '../../core/limits.ts';
import type { Setting } from './setting.ts';

export const FEATURE_SETTINGS = [
  {
    name: 'subscriptions',
    type: 'boolean',
    group: 'Features',
    default: CORE_DEFAULTS.subscriptions,
    description: 'Publish subscription events and serve /.well-known/mercure/subscriptions.',
  },
  {
    name: 'metrics',
    type: 'boolean',
    group: 'Features',
    default: true,
    description:
      'Serve Prometheus metrics at /metrics, on the hub port: open to anyone who reaches it unless --metrics-token is set. --no-metrics turns it off.',
  },
  {
    name: 'metricsToken',
    type: 'string',
    group: 'Features',
    description:
      'Bearer token /metrics requires (scrape with Authorization: Bearer <token>); others get 401. The token itself or @path to read it from a file.',
  },
  {
    name: 'ui',
    type: 'boolean',
    group: 'Features',
    default: true,
    description:
      'Serve the web UI at /ui: pages, the live status feed (subscriber count, rates, store size) and, with --dev, the demos (the @spout/ui package, installed with the hub). Public to anyone who reaches the port; --no-ui turns it off.',
  },
  {
    name: 'heartbeat',
    type: 'duration',
    group: 'Features',
    default: 15_000,
    min: 0,
    description: 'Keep-alive comment interval on idle streams (0 turns them off).',
  },
] as const satisfies readonly Setting[];
