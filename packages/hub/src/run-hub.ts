/**
 * `spout hub`: builds a hub from its configuration and serves it until a signal.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { type KeySource, mintToken } from './auth/index.ts';
import { type HubConfig, type HubSettings, resolveSettings } from './config/load.ts';
import { ConfigError } from './config/parse.ts';
import type { SubscriberDirectory } from './core/directory.ts';
import { DEFAULT_LIMITS, type HubLimits } from './core/limits.ts';
import type { MetricsText, WorkerHealth } from './http/routes.ts';
import { monitorOpenFiles } from './hub/fd-monitor.ts';
import { createHub, type Hub } from './hub/hub.ts';
import type { HubOptions } from './hub/options.ts';
import { openDirectory, openStore } from './open-store.ts';
import { listen, type RunningHub } from './server.ts';
import type { UpdateStore } from './store/index.ts';
import type { MountedWebUi } from './web-ui/contract.ts';
import { loadWebUi } from './web-ui/load.ts';

/** A hub started from its settings. */
export interface StartedHub {
  /** The hub and its server. */
  running: RunningHub;
  /** The hub: its metrics, store and request handler. */
  hub: Hub;
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The hub's URL: `${url}/.well-known/mercure`. */
  hubUrl: string;
  /** The development secret, when `--dev` generated one. */
  devSecret: string | undefined;
  /** Graceful shutdown of everything. */
  close(): Promise<void>;
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

function readFileSetting(path: string | undefined, setting: string): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${setting}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** The keys verifying tokens, and the development key `--dev` generates when none is set. */
interface VerifyingKeys {
  publisher: KeySource[];
  subscriber: KeySource[];
  /** The key both sides share (jwtKey, or the development key), if any. */
  shared: string | undefined;
  dev: string | undefined;
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

/** `devSecret`: the development key another process generated (the primary of workers), if any. */
function verifyingKeys(config: HubConfig, devSecret: string | undefined): VerifyingKeys {
  const jwtKey = readKey(config.jwtKey, 'jwtKey');
  const dev = devSecret ?? generatedDevSecret(config, jwtKey);
  const shared = jwtKey ?? dev;
  const publisherKey = readKey(config.publisherJwtKey, 'publisherJwtKey') ?? shared;
  const subscriberKey = readKey(config.subscriberJwtKey, 'subscriberJwtKey') ?? shared;
  return {
    publisher: keySources(publisherKey, config.publisherJwtAlgorithms ?? config.jwtAlgorithms, config),
    subscriber: keySources(subscriberKey, config.subscriberJwtAlgorithms ?? config.jwtAlgorithms, config),
    shared,
    dev,
  };
}

/** The hub's options from its settings (the store, metrics token and mount aside). */
function hubOptions(config: HubConfig, keys: VerifyingKeys, logger: Logger): Omit<HubOptions, 'store'> {
  return {
    publisherKeys: keys.publisher,
    subscriberKeys: keys.subscriber,
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
    metrics: config.metrics,
    logger,
    limits: Object.fromEntries(
      Object.keys(DEFAULT_LIMITS).map((name) => [name, config[name as keyof HubLimits]]),
    ),
  };
}

/** Serves the hub; when the port is taken (or forbidden), closes the hub so the process can exit. */
async function listenOrRelease(
  hub: Hub,
  config: Pick<HubConfig, 'host' | 'port' | 'shutdownTimeout'> & {
    cert?: string | undefined;
    key?: string | undefined;
  },
): Promise<RunningHub> {
  try {
    return await listen(hub, {
      host: config.host,
      port: config.port,
      cert: config.cert,
      key: config.key,
      shutdownTimeoutMs: config.shutdownTimeout,
    });
  } catch (error) {
    await hub.close();
    throw error;
  }
}

/** What `startHub` takes beside the settings. */
export interface StartOptions {
  /** Where logs go. Default: JSON lines on stdout at the `logLevel` setting. */
  logger?: Logger | undefined;
  /** A store of your own, instead of the one the `store` setting opens; the hub closes it. */
  store?: UpdateStore | undefined;
  /**
   * The hub-wide subscriber directory, when the hub spans several processes (see workers/). On Redis it
   * takes the places under the limits, and a RedisDirectory spans the nodes (presence/).
   */
  directory?: SubscriberDirectory | undefined;
  /** The development key the primary of several processes generated (`--dev`), shared by each. */
  devSecret?: string | undefined;
  /** The text of /metrics: every worker's, aggregated by the primary. */
  metricsText?: (() => Promise<MetricsText>) | undefined;
  /** The workers listening and expected, for /healthz. */
  workerHealth?: (() => Promise<WorkerHealth>) | undefined;
}

/**
 * Starts a hub from its settings, as `spout hub` does: opens the store, listens, mounts the web UI
 * (setting `ui`). Settings are named as in the config file (`spout hub --help` lists them), every
 * one optional but a key (`jwtKey`, or `dev: true`), and checked as `spout hub` checks them.
 *
 * @example
 * const started = await startHub({ jwtKey: secret, store: 'memory', port: 0 });
 * console.log(started.hubUrl); // http://127.0.0.1:…/.well-known/mercure
 * await started.close();
 * @throws {ConfigError} naming a bad setting.
 */
export async function startHub(settings: HubSettings = {}, options: StartOptions = {}): Promise<StartedHub> {
  const config = resolveSettings(settings);
  const logger = options.logger ?? pino({ level: config.logLevel });
  const keys = verifyingKeys(config, options.devSecret);
  const metricsToken = readMetricsToken(config);
  if (!config.metrics && metricsToken !== undefined)
    logger.warn('metricsToken is set but metrics are off (--no-metrics): /metrics is not served');
  const cert = readFileSetting(config.cert, 'cert');
  const key = readFileSetting(config.key, 'key');
  let ui: MountedWebUi | undefined;
  const store = options.store ?? (await openStore(config, logger));
  const hub = await createHub({
    ...hubOptions(config, keys, logger),
    store,
    directory: await openDirectory(config, store, logger, options.directory),
    metricsText: options.metricsText,
    workerHealth: options.workerHealth,
    metricsToken,
    extraHandler: (req, res) => ui?.handle(req, res) ?? false,
  });
  const running = await listenOrRelease(hub, { ...config, cert, key });
  if (config.ui)
    ui = await startWebUi(running, config, { secret: keys.shared, devSecret: keys.dev, cert }, logger);
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
    hub,
    url: running.url,
    hubUrl: running.hubUrl,
    devSecret: keys.dev,
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
