/**
 * `spout hub`: builds a hub from its configuration and serves it until a signal.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { type KeySource, mintToken } from './auth/index.ts';
import type { HubConfig } from './config/load.ts';
import { ConfigError } from './config/parse.ts';
import { LocalDirectory, type SubscriberDirectory } from './core/directory.ts';
import { DEFAULT_LIMITS, type HubLimits } from './core/limits.ts';
import type { AnyRequest } from './http/body.ts';
import { type AnyResponse, sendText } from './http/errors.ts';
import { type MetricsText, serveMetrics, type WorkerHealth } from './http/router.ts';
import { monitorOpenFiles } from './hub/fd-monitor.ts';
import { createHub, type Hub } from './hub/hub.ts';
import { createRedisDirectory } from './presence/redis-directory.ts';
import { listen, type RunningHub } from './server.ts';
import { createMemoryStore, createRedisStore, createSqliteStore, type UpdateStore } from './store/index.ts';
import type { MountedWebUi } from './web-ui/contract.ts';
import { loadWebUi } from './web-ui/load.ts';

/** A hub started from its configuration. */
export interface StartedHub {
  running: RunningHub;
  /** The development secret, when `--dev` generated one. */
  devSecret: string | undefined;
  /** Graceful shutdown of everything. */
  close(): Promise<void>;
}

/** Parts a hub of several processes supplies instead of those `startHub` makes (see workers/). */
export interface HubParts {
  /** The store: the primary's, reached over IPC. */
  store?: UpdateStore | undefined;
  /** The hub-wide subscriber directory. */
  directory?: SubscriberDirectory | undefined;
  /** The development key the primary generated (`--dev`), shared by every worker. */
  devSecret?: string | undefined;
  /** Every worker's metrics, aggregated by the primary. */
  metricsText?: (() => Promise<MetricsText>) | undefined;
  /** The workers listening and expected. */
  workerHealth?: (() => Promise<WorkerHealth>) | undefined;
}

/** A setting given as `@path` is read from that file (trimmed); any other value is used as is. */
function readKey(value: string | undefined, setting: string): string | undefined {
  if (value === undefined || !value.startsWith('@')) return value;
  return readFileSetting(value.slice(1), setting)!.trim();
}

function keySources(
  key: string | undefined,
  algorithms: string[] | undefined,
  config: HubConfig,
): KeySource[] {
  const sources: KeySource[] = [];
  if (key !== undefined) sources.push({ key, algorithms });
  if (config.jwksFile !== undefined) sources.push({ jwksFile: config.jwksFile });
  if (config.jwksUrl !== undefined) sources.push({ jwksUrl: config.jwksUrl });
  return sources;
}

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

/**
 * On Redis, the subscribers of every node sharing the key prefix (presence, docs/scaling.md), whose places
 * `admission` (a worker's: the primary's directory) or else this process takes; elsewhere `admission`.
 * The store is closed when Redis cannot be reached.
 */
async function openDirectory(
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

/** The store's option names in a refusal of its options, as the hub's settings (flags) name them. */
function inRedisSettings(message: string): string {
  const names: Record<string, string> = {
    url: 'redisUrl (--redis-url)',
    keyPrefix: 'redisKeyPrefix (--redis-key-prefix)',
    replicas: 'redisReplicas (--redis-replicas)',
  };
  return message.replace(/^(url|keyPrefix|replicas)\b/, (name) => names[name]!);
}

function readFileSetting(path: string | undefined, setting: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${setting}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The development key `--dev` generates when no key is set; undefined otherwise. */
export function generatedDevSecret(
  config: HubConfig,
  jwtKey = readKey(config.jwtKey, 'jwtKey'),
): string | undefined {
  return config.dev && jwtKey === undefined && config.publisherJwtKey === undefined
    ? randomBytes(32).toString('base64url')
    : undefined;
}

/** Starts a hub, its server and (optionally) its web UI. */
export async function startHub(
  config: HubConfig,
  logger: Logger = pino({ level: config.logLevel }),
  parts: HubParts = {},
): Promise<StartedHub> {
  const jwtKey = readKey(config.jwtKey, 'jwtKey');
  const devSecret = parts.devSecret ?? generatedDevSecret(config, jwtKey);
  const sharedKey = jwtKey ?? devSecret;
  const publisherKey = readKey(config.publisherJwtKey, 'publisherJwtKey') ?? sharedKey;
  const subscriberKey = readKey(config.subscriberJwtKey, 'subscriberJwtKey') ?? sharedKey;
  const publisherAlgorithms = config.publisherJwtAlgorithms ?? config.jwtAlgorithms;
  const subscriberAlgorithms = config.subscriberJwtAlgorithms ?? config.jwtAlgorithms;
  const metricsToken = readMetricsToken(config);
  const cert = readFileSetting(config.cert, 'cert');
  const key = readFileSetting(config.key, 'key');
  let ui: MountedWebUi | undefined;
  let guardedMetrics: ((req: AnyRequest, res: AnyResponse) => Promise<boolean>) | undefined;
  const store = parts.store ?? (await openStore(config, logger));
  const hub = await createHub({
    store,
    directory: await openDirectory(config, store, logger, parts.directory),
    metricsText: parts.metricsText,
    workerHealth: parts.workerHealth,
    publisherKeys: keySources(publisherKey, publisherAlgorithms, config),
    subscriberKeys: keySources(subscriberKey, subscriberAlgorithms, config),
    jwtAudience: config.jwtAudience,
    jwtIssuer: config.jwtIssuer,
    protocol: config.protocol,
    unknownLastEventId: config.unknownLastEventId,
    anonymous: config.anonymous || config.dev,
    subscriptions: config.subscriptions,
    corsOrigins: config.corsOrigins,
    cookieName: config.cookieName,
    heartbeatMs: config.heartbeat,
    shutdownRetryMs: config.shutdownRetry,
    trustProxy: config.trustProxy,
    // With a token, /metrics is served by guardedMetrics below instead of the hub's open endpoint.
    metrics: config.metrics && metricsToken === undefined,
    logger,
    limits: Object.fromEntries(
      Object.keys(DEFAULT_LIMITS).map((name) => [name, config[name as keyof HubLimits]]),
    ),
    extraHandler: async (req, res) =>
      (guardedMetrics !== undefined && (await guardedMetrics(req, res))) || (ui?.handle(req, res) ?? false),
  });
  if (config.metrics && metricsToken !== undefined) guardedMetrics = metricsEndpoint(hub, metricsToken);
  else if (metricsToken !== undefined)
    logger.warn('metricsToken is set but metrics are off (--no-metrics): /metrics is not served');
  let running: RunningHub;
  try {
    running = await listen(hub, {
      host: config.host,
      port: config.port,
      cert,
      key,
      shutdownTimeoutMs: config.shutdownTimeout,
    });
  } catch (error) {
    // The port is taken (or forbidden): release the store so the process can exit with the error.
    await hub.close();
    throw error;
  }
  if (config.ui) ui = await startWebUi(running, config, { secret: sharedKey, devSecret, cert }, logger);
  const stopMonitor = monitorOpenFiles(logger);
  if (cert === undefined && !isLoopback(config.host)) {
    // [spec] when using any authorization mechanism, the connection MUST use an encryption layer such as HTTPS
    logger.warn(
      { host: config.host },
      'serving plain HTTP on a non-loopback address: tokens travel in clear. Use --cert/--key or a TLS proxy.',
    );
  }
  logger.info({ url: running.hubUrl, store: config.store, http2: cert !== undefined }, 'hub listening');
  return {
    running,
    devSecret,
    async close() {
      stopMonitor();
      await ui?.close();
      await running.close();
    },
  };
}

// [RFC 6750] b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function readMetricsToken(config: HubConfig): string | undefined {
  const token = readKey(config.metricsToken, 'metricsToken');
  if (token === undefined) return undefined;
  if (!B64TOKEN.test(token)) {
    throw new ConfigError(
      'metricsToken: a bearer token may hold only letters, digits and - . _ ~ + / (then = padding), so a scraper can send it',
    );
  }
  return token;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * GET /metrics behind a bearer token (RFC 6750): 401 with `WWW-Authenticate: Bearer` without the
 * right token. Compared in constant time. Resolves false for other requests (the hub goes on routing).
 */
function metricsEndpoint(hub: Hub, token: string): (req: AnyRequest, res: AnyResponse) => Promise<boolean> {
  const expected = digest(token);
  return async (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/metrics' || req.method !== 'GET') return false;
    const header = req.headers.authorization;
    const given = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
    if (given === undefined) {
      // [RFC 6750 3.1] a request without credentials gets no error code, only the challenge
      sendText(res, 401, 'a bearer token is required (--metrics-token)\n', {
        'www-authenticate': 'Bearer realm="spout metrics"',
      });
    } else if (!timingSafeEqual(digest(given), expected)) {
      sendText(res, 401, 'wrong bearer token for /metrics\n', {
        'www-authenticate': 'Bearer realm="spout metrics", error="invalid_token"',
      });
    } else {
      await serveMetrics(hub, res);
    }
    return true;
  };
}

/**
 * Whether the web UI may offer the development token (publish and subscribe `*`) at /ui/api/info.
 * Anyone who reaches that endpoint gets it, so only a hub listening on loopback hands it out.
 */
export function uiMayShareDevToken(host: string): boolean {
  return isLoopback(host);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

interface UiKeys {
  secret: string | undefined;
  devSecret: string | undefined;
  cert: string | undefined;
}

async function startWebUi(running: RunningHub, config: HubConfig, keys: UiKeys, logger: Logger) {
  try {
    const webUi = await loadWebUi(logger);
    if (webUi === undefined) return undefined;
    const devToken =
      keys.devSecret === undefined || !uiMayShareDevToken(config.host)
        ? undefined
        : await mintToken({ secret: keys.devSecret, publish: ['*'], subscribe: ['*'] });
    return await webUi.startUi(
      { hubUrl: running.hubUrl, metrics: running.hub.metrics, store: running.hub.store },
      {
        // [security] outside development mode the UI gets no key: nothing under /ui may sign a token.
        secret: !config.dev || keys.secret?.includes('-----BEGIN') ? undefined : keys.secret,
        // The demos publish made-up data: only a development hub runs them, never a production one.
        demos: config.dev,
        hubCertificate: keys.cert,
        secureCookies: keys.cert !== undefined,
        info: () => ({
          store: config.store === 'sqlite' ? `sqlite (${config.dbPath})` : config.store,
          anonymous: config.anonymous || config.dev,
          ...(devToken === undefined ? {} : { devToken }),
        }),
        onError: (error) => logger.warn({ err: error }, 'web UI error'),
      },
    );
  } catch (error) {
    logger.warn({ err: error }, 'the web UI could not start; the hub runs without it (--no-ui hides this)');
    return undefined;
  }
}

/** What `--dev` prints: the key, tokens, and commands to try at once. */
export async function devBanner(started: {
  devSecret: string | undefined;
  running: { hubUrl: string; url: string };
}): Promise<string> {
  const secret = started.devSecret;
  const url = started.running.hubUrl;
  if (secret === undefined) return `Spout hub (dev) at ${url}`;
  const publish = await mintToken({ secret, publish: ['*'], subscribe: ['*'] });
  const subscribe = await mintToken({ secret, subscribe: ['*'] });
  return [
    '',
    `Spout hub (development mode) at ${url}`,
    `  web UI:         ${started.running.url}/ui/`,
    `  JWT key (HS256, generated for this run): ${secret}`,
    `  publisher token:  ${publish}`,
    `  subscriber token: ${subscribe}`,
    '',
    '  Subscribe (anonymous, public updates):',
    `    curl -N -G --data-urlencode 'topic=https://example.com/books/{id}' ${url}`,
    '  Publish:',
    `    curl -d topic=https://example.com/books/1 -d data='{"title":"Dune"}' -H 'Authorization: Bearer ${publish}' ${url}`,
    '',
  ].join('\n');
}
