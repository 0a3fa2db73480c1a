/**
 * @spout/hub: a Mercure-compatible pub/sub hub over Server-Sent Events.
 *
 * @example
 * import { startHub } from '@spout/hub';
 * // The settings of `spout hub` (spout hub --help), named as in its config file.
 * const started = await startHub({ jwtKey: secret, dbPath: 'hub.db', port: 3000 });
 * process.on('SIGTERM', () => started.close());
 */
import { createHub as createHubOnStore } from './hub/hub.ts';
import { listen as listenOnPort } from './server.ts';

export {
  ANONYMOUS,
  type KeySource,
  type MercureClaims,
  type MintOptions,
  mintToken,
} from './auth/index.ts';
export { hubHelp } from './config/help.ts';
export { type HubConfig, type HubSettings, loadConfig, resolveSettings } from './config/load.ts';
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
export { Hub } from './hub/hub.ts';
export type { HubOptions } from './hub/options.ts';
export {
  createRedisDirectory,
  type RedisDirectory,
  type RedisDirectoryOptions,
} from './presence/redis-directory.ts';
export { type StartedHub, type StartOptions, startHub } from './run-hub.ts';
export type { ListenOptions, RunningHub } from './server.ts';
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

/**
 * Creates a hub on a store and reads where the store's history ends.
 * @deprecated Start a hub with `startHub(settings)`: the settings of `spout hub`, checked as it checks
 * them. Kept for code that mounts `hub.handle` on a server of its own, or handlers of its own
 * (`extraHandler`), as `@spout/ui`'s embedding guide does.
 */
export const createHub: typeof createHubOnStore = createHubOnStore;

/**
 * Starts serving a hub made by `createHub`; resolves once the port is bound.
 * @deprecated Start a hub with `startHub(settings)`, which listens as the `host`, `port`, `cert`,
 * `key` and `shutdownTimeout` settings say.
 */
export const listen: typeof listenOnPort = listenOnPort;
