/**
 * The hub's update stores: history (replay by Last-Event-ID) and bus (every process and
 * node hears every update, in one total order), behind one {@link UpdateStore} contract.
 */
export {
  DuplicateIdError,
  HistoryRewoundError,
  StoreClosedError,
  StoreError,
  StoreOverloadedError,
  StoreUnavailableError,
  WatchGapError,
} from './errors.ts';
export { createMemoryStore, DEFAULT_MEMORY_MAX_COUNT, type MemoryStoreOptions } from './memory.ts';
export { DEFAULT_MAX_PENDING_UPDATES } from './options.ts';
export { createRedisStore, type RedisStoreOptions } from './redis/redis.ts';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite.ts';
export type {
  RetentionOptions,
  StoredUpdate,
  StoreOptions,
  StoreSize,
  Update,
  UpdateStore,
  WatchOptions,
} from './types.ts';
