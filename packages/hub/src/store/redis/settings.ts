import type { RedisOptions } from 'ioredis';
import { positiveInteger } from '../options.ts';
import type { StoreOptions } from '../types.ts';
import { parseTarget, type RedisTarget } from './target.ts';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions extends StoreOptions {
  /**
   * One of:
   * - `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS: one server;
   * - `redis+sentinel://[[user]:password@]host[:port][,host[:port]...]/<master name>[/db]`: the
   *   primary that these sentinels (default port 26379) name, followed across failovers;
   * - `redis+cluster://[[user]:password@]host[:port][,host[:port]...]`: a Redis Cluster reached
   *   through these seed nodes (default port 6379).
   *
   * The credentials are the data nodes'. See docs/scaling.md.
   */
  url: string;
  /**
   * Prefix of the four keys (`seq`, `stream`, `ids`, `bytes`). Hubs sharing a prefix share history and
   * fan-out. The `{...}` hash tag keeps the keys in one slot, which the scripts need on a Redis
   * Cluster (there a prefix without one is refused). Default `spout:{hub}:`.
   */
  keyPrefix?: string | undefined;
  /** Stream entries per blocking read. Default 512. */
  readBatchSize?: number | undefined;
  /** How long one blocking read waits before it is issued again. Default 5000 ms. */
  blockMs?: number | undefined;
  /**
   * Replicas that must have an append (Redis `WAIT`) before it resolves. Default 0. When fewer
   * confirm within `replicaTimeoutMs`, the append rejects with an ambiguous StoreUnavailableError:
   * the update is on the primary (and delivered) but a failover could lose it.
   */
  replicas?: number | undefined;
  /** How long an append waits for `replicas`. Default 1000 ms. */
  replicaTimeoutMs?: number | undefined;
  /**
   * Extra ioredis options (TLS, credentials, Sentinel...). The store's connection behaviour wins
   * (RESP2, no offline queue, no re-sent commands, auto-pipelining, no ioredis key prefix);
   * `socketTimeout` is taken from here when given. See docs/deployment-redis.md.
   */
  redis?: RedisOptions | undefined;
}

/** KEYS of every script: counter, stream, id hash, byte total. */
export type RedisKeys = [string, string, string, string];

/** The Redis store's own options, validated. */
export interface RedisSettings {
  target: RedisTarget;
  /** What every key of the hub starts with: its `{hash tag}` keeps them in one Cluster slot. */
  prefix: string;
  /** The counter, the stream, the id hash and the kept data's byte total. */
  keys: RedisKeys;
  readBatchSize: number;
  blockMs: number;
  replicas: number;
  replicaTimeoutMs: number;
}

/** What the Redis store uses when an option is not given (the hub's settings table reads them too). */
export const REDIS_DEFAULTS = {
  keyPrefix: 'spout:{hub}:',
  replicas: 0,
  replicaTimeoutMs: 1000,
} as const;

/** Validates the Redis-specific options before anything connects. */
export function resolveSettings(options: RedisStoreOptions): RedisSettings {
  const target = parseTarget(options.url);
  const prefix = options.keyPrefix ?? REDIS_DEFAULTS.keyPrefix;
  const replicas =
    options.replicas === 0 ? 0 : (positiveInteger('replicas', options.replicas) ?? REDIS_DEFAULTS.replicas);
  if (target.kind === 'cluster') {
    // The scripts touch all four keys: Cluster runs a script only when its keys share one slot.
    if (!hasHashTag(prefix)) {
      throw new RangeError(
        `keyPrefix must hold a {hash tag} on a Redis Cluster, got ${JSON.stringify(prefix)}`,
      );
    }
    if (replicas > 0) throw new RangeError('replicas is not supported on a Redis Cluster');
  }
  return {
    target,
    prefix,
    keys: [`${prefix}seq`, `${prefix}stream`, `${prefix}ids`, `${prefix}bytes`],
    readBatchSize: positiveInteger('readBatchSize', options.readBatchSize) ?? 512,
    blockMs: positiveInteger('blockMs', options.blockMs) ?? 5000,
    replicas,
    replicaTimeoutMs:
      positiveInteger('replicaTimeoutMs', options.replicaTimeoutMs) ?? REDIS_DEFAULTS.replicaTimeoutMs,
  };
}

/** Whether keys starting with `prefix` hash by a tag in it (Redis: the first `{`, then the first `}`, not empty). */
function hasHashTag(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open !== -1 && prefix.indexOf('}', open + 1) > open + 1;
}
