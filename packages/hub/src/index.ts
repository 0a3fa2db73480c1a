/**
 * @spout/hub: a Mercure-compatible pub/sub hub over Server-Sent Events.
 *
 * @example
 * import { createHub, listen, createSqliteStore } from '@spout/hub';
 * const hub = await createHub({ store: createSqliteStore({ path: 'hub.db' }), publisherKeys: [{ key: secret }] });
 * const running = await listen(hub, { port: 3000 });
 */
export {
  ANONYMOUS,
  type KeySource,
  type MercureClaims,
  type MintOptions,
  mintToken,
} from './auth/index.ts';
export { hubHelp } from './config/help.ts';
export { type HubConfig, loadConfig } from './config/load.ts';
export { ConfigError } from './config/parse.ts';
export {
  type DirectoryEntry,
  type DirectoryLimits,
  LocalDirectory,
  type SubscriberDirectory,
} from './core/directory.ts';
export { timeOrderedId } from './core/ids.ts';
export { DEFAULT_LIMITS, type HubLimits } from './core/limits.ts';
export { HubMetrics } from './core/metrics.ts';
export type { DisconnectCause } from './core/subscriber.ts';
export type { ExtraHandler } from './http/context.ts';
export {
  type AuthorizationCookieOptions,
  authorizationCookie,
  type HubLinkOptions,
  mercureLink,
} from './http/discovery.ts';
export { HttpError } from './http/errors.ts';
export { createHub, Hub } from './hub/hub.ts';
export type { HubOptions } from './hub/options.ts';
export {
  createRedisDirectory,
  type RedisDirectory,
  type RedisDirectoryOptions,
} from './presence/redis-directory.ts';
export { type StartedHub, startHub } from './run-hub.ts';
export { type ListenOptions, listen, type RunningHub } from './server.ts';
export {
  createMemoryStore,
  createRedisStore,
  createSqliteStore,
  DuplicateIdError,
  type StoredUpdate,
  type StoreSize,
  type Update,
  type UpdateStore,
} from './store/index.ts';
export { parseSelector, type TopicSelector } from './topics/index.ts';
export type {
  MountedWebUi,
  WebUiHost,
  WebUiInfo,
  WebUiModule,
  WebUiOptions,
} from './web-ui/contract.ts';
