/**
 * The limits that protect the hub; their defaults are the core's (core/limits.ts).
 */
import { DEFAULT_LIMITS } from '../../core/limits.ts';
import type { Setting } from './setting.ts';

export const LIMIT_SETTINGS = [
  {
    name: 'maxBodyBytes',
    type: 'bytes',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxBodyBytes,
    min: 1,
    description: 'Largest publish body (413 above), e.g. 1mb.',
  },
  {
    name: 'maxBatchSize',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxBatchSize,
    min: 1,
    description: 'Most updates in one JSON batch (413 above).',
  },
  {
    name: 'maxTopicsPerUpdate',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxTopicsPerUpdate,
    min: 1,
    description: 'Most topics of one update (400 above).',
  },
  {
    name: 'maxSelectors',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxSelectors,
    min: 1,
    description: 'Most topic selectors in one subscription (400 above).',
  },
  {
    name: 'maxSelectorLength',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxSelectorLength,
    min: 1,
    description: 'Longest topic selector in characters (400 above).',
  },
  {
    name: 'maxSubscribers',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxSubscribers,
    min: 1,
    description: 'Most subscribers at once (429 with Retry-After above).',
  },
  {
    name: 'maxSubscribersPerAddress',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxSubscribersPerAddress,
    min: 1,
    description: 'Most subscribers from one client address (429 with Retry-After above).',
  },
  {
    name: 'subscriberQueueBytes',
    type: 'bytes',
    group: 'Limits',
    default: DEFAULT_LIMITS.subscriberQueueBytes,
    min: 1,
    description:
      'Most unsent bytes for one slow subscriber; past it the subscriber is disconnected and resumes by Last-Event-ID. An update must encode to at most half of it (413 above).',
  },
  {
    name: 'maxIdLength',
    type: 'integer',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxIdLength,
    min: 1,
    max: 4096,
    description:
      'Longest update id a publisher may set, in characters (400 above): ids come back in the Last-Event-ID header.',
  },
  {
    name: 'replayStallTimeout',
    type: 'duration',
    group: 'Limits',
    default: DEFAULT_LIMITS.replayStallTimeout,
    min: 1,
    description:
      'How long a replay waits for a subscriber to read what it was sent; past it the subscriber is disconnected and resumes by Last-Event-ID.',
  },
  {
    name: 'maxConnectionLifetime',
    type: 'duration',
    group: 'Limits',
    default: DEFAULT_LIMITS.maxConnectionLifetime,
    min: 1,
    description:
      'Longest a subscription stays connected whatever its token; past it the client reconnects, re-authenticating and resuming by Last-Event-ID.',
  },
] as const satisfies readonly Setting[];
