/**
 * The settings of the store that keeps history.
 */

import { DEFAULT_PRESENCE_TTL_MS } from '../../core/directory.ts';
import { CORE_DEFAULTS } from '../../core/limits.ts';
import { REDIS_DEFAULTS } from '../../store/redis/settings.ts';
import { SQLITE_DEFAULT_SYNCHRONOUS } from '../../store/sqlite/defaults.ts';
import type { Setting } from './setting.ts';

export const HISTORY_SETTINGS = [
  {
    name: 'store',
    type: 'choice',
    group: 'History',
    default: 'sqlite',
    choices: ['sqlite', 'memory', 'redis'],
    description:
      'Where history is kept: an embedded node:sqlite file (durable), memory (lost on restart), or Redis (shared by several hub nodes).',
  },
  {
    name: 'dbPath',
    type: 'string',
    group: 'History',
    default: 'spout-hub.db',
    description: 'The sqlite file (created when missing).',
  },
  {
    name: 'redisUrl',
    type: 'string',
    group: 'History',
    default: 'redis://127.0.0.1:6379',
    description:
      'Redis for --store redis: redis://[[user]:password@]host[:port][/db] (rediss:// for TLS); redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/<master name>[/db] to follow a Sentinel-managed primary (sentinel port default 26379); redis+cluster://[[user]:password@]host[:port][,host[:port]...] for a Redis Cluster (seed nodes). See docs/scaling.md.',
  },
  {
    name: 'redisReplicas',
    type: 'integer',
    group: 'History',
    default: REDIS_DEFAULTS.replicas,
    min: 0,
    description:
      'Replicas that must confirm each publish (Redis WAIT) before it is answered 200; below that, 503. Set it to 1 or more with Sentinel so that a failover loses no acknowledged update (not with a Redis Cluster).',
  },
  {
    name: 'redisReplicaTimeout',
    type: 'duration',
    group: 'History',
    default: REDIS_DEFAULTS.replicaTimeoutMs,
    min: 1,
    description: 'How long a publish waits for --redis-replicas before it is answered 503.',
  },
  {
    name: 'redisKeyPrefix',
    type: 'string',
    group: 'History',
    description: `Prefix of the Redis keys: hubs sharing it share history and fan-out (default ${REDIS_DEFAULTS.keyPrefix}).`,
  },
  {
    name: 'presenceTtl',
    type: 'duration',
    group: 'History',
    default: DEFAULT_PRESENCE_TTL_MS,
    min: 300,
    description:
      'With --store redis: how long a node stays listed after its last heartbeat (it beats every third of it). A node that dies without a goodbye leaves the subscriptions API within it; its subscribers are announced inactive within 4/3 of it (docs/scaling.md).',
  },
  {
    name: 'historyMaxCount',
    type: 'integer',
    group: 'History',
    min: 1,
    description: 'Keep at most this many updates (default: unlimited).',
  },
  {
    name: 'historyMaxAge',
    type: 'duration',
    group: 'History',
    min: 1,
    description: 'Drop updates older than this, e.g. 7d, 12h (default: never).',
  },
  {
    name: 'sqliteSynchronous',
    type: 'choice',
    group: 'History',
    default: SQLITE_DEFAULT_SYNCHRONOUS,
    choices: ['FULL', 'NORMAL'],
    description: 'FULL survives power loss; NORMAL survives a killed process and is faster on slow disks.',
  },
  {
    name: 'unknownLastEventId',
    type: 'choice',
    group: 'History',
    default: CORE_DEFAULTS.unknownLastEventId,
    choices: ['replay', 'none'],
    description:
      'What a Last-Event-ID the hub does not know (never seen, or trimmed) replays: all kept history (replay) or nothing (none, as the Go hub).',
  },
] as const satisfies readonly Setting[];
