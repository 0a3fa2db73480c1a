import type { RedisOptions } from 'ioredis';
import { positiveInteger } from '../options.ts';
import type { StoreOptions } from '../types.ts';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions extends StoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /**
   * Prefix of the four keys (`seq`, `stream`, `ids`, `bytes`). Hubs sharing a prefix share history and
   * fan-out. The `{...}` hash tag keeps the keys in one slot. Default `spout:{hub}:`.
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
  /** The counter, the stream, the id hash and the kept data's byte total. */
  keys: RedisKeys;
  readBatchSize: number;
  blockMs: number;
  replicas: number;
  replicaTimeoutMs: number;
}

/** Validates the Redis-specific options before anything connects. */
export function resolveSettings(options: RedisStoreOptions): RedisSettings {
  if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url)) {
    throw new RangeError(`url must start with redis:// or rediss://, got ${JSON.stringify(options.url)}`);
  }
  const prefix = options.keyPrefix ?? 'spout:{hub}:';
  return {
    keys: [`${prefix}seq`, `${prefix}stream`, `${prefix}ids`, `${prefix}bytes`],
    readBatchSize: positiveInteger('readBatchSize', options.readBatchSize) ?? 512,
    blockMs: positiveInteger('blockMs', options.blockMs) ?? 5000,
    replicas: options.replicas === 0 ? 0 : (positiveInteger('replicas', options.replicas) ?? 0),
    replicaTimeoutMs: positiveInteger('replicaTimeoutMs', options.replicaTimeoutMs) ?? 1000,
  };
}
