/**
 * The store a hub's settings name: sqlite (the default), memory or Redis, with the retention settings;
 * on Redis, the subscriber directory of every node sharing its key prefix.
 */
import type { Logger } from 'pino';
import type { HubConfig } from './config/load.ts';
import { ConfigError } from './config/parse.ts';
import { LocalDirectory, type SubscriberDirectory } from './core/directory.ts';
import { createRedisDirectory } from './presence/redis-directory.ts';
import { createMemoryStore, createRedisStore, createSqliteStore, type UpdateStore } from './store/index.ts';

/** Opens the store of the `store` setting. */
export async function openStore(config: HubConfig, logger: Logger): Promise<UpdateStore> {
  const retention = {
    maxCount: config.historyMaxCount,
    maxAgeMs: config.historyMaxAge,
    onError: (error: Error) => logger.error({ err: error }, 'store error'),
  };
  if (config.store === 'memory') return createMemoryStore(retention);
  if (config.store === 'redis') {
    return createRedisStore({
      ...retention,
      url: config.redisUrl,
      keyPrefix: config.redisKeyPrefix,
      replicas: config.redisReplicas,
      replicaTimeoutMs: config.redisReplicaTimeout,
    }).catch((error: unknown) => {
      throw error instanceof RangeError ? new ConfigError(inRedisSettings(error.message)) : error;
    });
  }
  try {
    return createSqliteStore({ ...retention, path: config.dbPath, synchronous: config.sqliteSynchronous });
  } catch (error) {
    // sqlite's own errors ("unable to open database file") do not say which file.
    if ((error as NodeJS.ErrnoException).path !== undefined) throw error;
    throw new Error(
      `cannot open the sqlite store ${config.dbPath} (--db-path): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/** The store's option names in a refusal of its options, as the hub's settings (flags) name them. */
function inRedisSettings(message: string): string {
  const names: Record<string, string> = {
    url: 'redisUrl (--redis-url)',
    keyPrefix: 'redisKeyPrefix (--redis-key-prefix)',
    replicas: 'redisReplicas (--redis-replicas)',
  };
  return message.replace(/^(url|keyPrefix|replicas)\b/, (name) => names[name]!);
}

/**
 * On Redis, the subscribers of every node sharing the key prefix (presence, docs/scaling.md), whose places
 * `admission` (a worker's: the primary's directory) or else this process takes; elsewhere `admission`.
 * The store is closed when Redis cannot be reached.
 */
export async function openDirectory(
  config: HubConfig,
  store: UpdateStore,
  logger: Logger,
  admission: SubscriberDirectory | undefined,
): Promise<SubscriberDirectory | undefined> {
  if (config.store !== 'redis') return admission;
  return createRedisDirectory({
    redis: { url: config.redisUrl, keyPrefix: config.redisKeyPrefix },
    admission: admission ?? new LocalDirectory(config),
    ttlMs: config.presenceTtl,
    events: config.subscriptions ? store : undefined,
    logger,
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
}
