/**
 * Every setting of `spout hub`: its flag, environment variable, type, default and
 * meaning. The loader, the validation and `--help` all read this one table.
 */

/** How a setting's text is read. */
export type SettingType = 'string' | 'integer' | 'boolean' | 'list' | 'duration' | 'bytes' | 'choice';

/** One setting. */
export interface Setting {
  /** Name in the config file and in errors, camelCase. */
  name: string;
  type: SettingType;
  group: string;
  description: string;
  default?: string | number | boolean | readonly string[] | undefined;
  /** For `choice`. */
  choices?: readonly string[];
  /** Smallest value for integer, duration and bytes. */
  min?: number;
  max?: number;
}

/** The settings, in the order `--help` lists them. */
export const SETTINGS: readonly Setting[] = [
  {
    name: 'config',
    type: 'string',
    group: 'General',
    description: 'JSON file with any of these settings (camelCase keys); flags and environment win over it.',
  },
  {
    name: 'dev',
    type: 'boolean',
    group: 'General',
    default: false,
    description:
      'Development mode: generate a JWT key unless one is set, allow anonymous subscribers, print ready-to-use tokens and curl commands.',
  },
  {
    name: 'protocol',
    type: 'choice',
    group: 'General',
    default: 'both',
    choices: ['classic', 'current', 'both'],
    description:
      'Mercure protocol spoken: classic (topic= selectors, the "mercure" JWT claim), current (match= matchers, at+jwt access tokens) or both, each request served by the one it announces (docs/mercure.md).',
  },
  {
    name: 'host',
    type: 'string',
    group: 'Network',
    default: '127.0.0.1',
    description: 'Address to listen on (0.0.0.0 or :: for every interface).',
  },
  {
    name: 'port',
    type: 'integer',
    group: 'Network',
    default: 3000,
    min: 0,
    max: 65535,
    description: 'Port to listen on (0 picks a free one).',
  },
  {
    name: 'workers',
    type: 'integer',
    group: 'Network',
    min: 1,
    max: 1024,
    description:
      'Worker processes sharing the port, each a whole hub on one core (docs/scaling.md). Default: the number of cores; 1 with --dev. More than the cores helps only to hold more connections than one process may open.',
  },
  {
    name: 'cert',
    type: 'string',
    group: 'Network',
    description: 'PEM certificate file: with --key, serve TLS with HTTP/2 (ALPN h2) and HTTP/1.1.',
  },
  { name: 'key', type: 'string', group: 'Network', description: 'PEM private key file for --cert.' },
  {
    name: 'trustProxy',
    type: 'boolean',
    group: 'Network',
    default: false,
    description: 'Take client addresses from X-Forwarded-For (only behind a proxy you control).',
  },
  {
    name: 'jwtKey',
    type: 'string',
    group: 'Authorization',
    description:
      "Key verifying publishers' and subscribers' JWTs: an HMAC secret, a PEM public key, or @path to read either from a file.",
  },
  {
    name: 'jwtAlgorithms',
    type: 'list',
    group: 'Authorization',
    description:
      'Accepted JWS algorithms (HS256,RS256,ES256,PS256,EdDSA, ...). Default: by key type. "none" is never accepted.',
  },
  {
    name: 'publisherJwtKey',
    type: 'string',
    group: 'Authorization',
    description: "Key for publishers' tokens only (overrides --jwt-key for them).",
  },
  {
    name: 'publisherJwtAlgorithms',
    type: 'list',
    group: 'Authorization',
    description: 'Algorithms for --publisher-jwt-key.',
  },
  {
    name: 'subscriberJwtKey',
    type: 'string',
    group: 'Authorization',
    description: "Key for subscribers' tokens only (overrides --jwt-key for them).",
  },
  {
    name: 'subscriberJwtAlgorithms',
    type: 'list',
    group: 'Authorization',
    description: 'Algorithms for --subscriber-jwt-key.',
  },
  {
    name: 'jwksFile',
    type: 'string',
    group: 'Authorization',
    description: 'JSON Web Key Set file whose keys verify tokens (in addition to --jwt-key).',
  },
  {
    name: 'jwksUrl',
    type: 'string',
    group: 'Authorization',
    description: 'URL of a JSON Web Key Set (fetched and cached) whose keys verify tokens.',
  },
  {
    name: 'jwtAudience',
    type: 'list',
    group: 'Authorization',
    description: "When set, tokens must carry one of these in their `aud` claim (e.g. the hub's URL).",
  },
  {
    name: 'jwtIssuer',
    type: 'list',
    group: 'Authorization',
    description: 'When set, tokens must carry one of these in their `iss` claim.',
  },
  {
    name: 'anonymous',
    type: 'boolean',
    group: 'Authorization',
    default: false,
    description: 'Allow subscribers without a token (they receive public updates only).',
  },
  {
    name: 'cookieName',
    type: 'string',
    group: 'Authorization',
    description:
      'Name of the cookie carrying a token (default: mercureAuthorization for classic requests, __Secure-mercure_access_token for current ones; both are read).',
  },
  {
    name: 'corsOrigins',
    type: 'list',
    group: 'Authorization',
    default: [],
    description:
      'Origins allowed by CORS and for cookie authorization (CSRF check), comma-separated. "*" only with --anonymous.',
  },
  {
    name: 'subscriptions',
    type: 'boolean',
    group: 'Features',
    default: false,
    description: 'Publish subscription events and serve /.well-known/mercure/subscriptions.',
  },
  {
    name: 'metrics',
    type: 'boolean',
    group: 'Features',
    default: true,
    description:
      'Serve Prometheus metrics at /metrics, on the hub port: open to anyone who reaches it unless --metrics-token is set. --no-metrics turns it off.',
  },
  {
    name: 'metricsToken',
    type: 'string',
    group: 'Features',
    description:
      'Bearer token /metrics requires (scrape with Authorization: Bearer <token>); others get 401. The token itself or @path to read it from a file.',
  },
  {
    name: 'ui',
    type: 'boolean',
    group: 'Features',
    default: true,
    description:
      'Serve the web UI at /ui: pages, the live status feed (subscriber count, rates, store size) and, with --dev, the demos (the @spout/ui package, installed with the hub). Public to anyone who reaches the port; --no-ui turns it off.',
  },
  {
    name: 'heartbeat',
    type: 'duration',
    group: 'Features',
    default: 15_000,
    min: 0,
    description: 'Keep-alive comment interval on idle streams (0 turns them off).',
  },
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
    default: 0,
    min: 0,
    description:
      'Replicas that must confirm each publish (Redis WAIT) before it is answered 200; below that, 503. Set it to 1 or more with Sentinel so that a failover loses no acknowledged update (not with a Redis Cluster).',
  },
  {
    name: 'redisReplicaTimeout',
    type: 'duration',
    group: 'History',
    default: 1000,
    min: 1,
    description: 'How long a publish waits for --redis-replicas before it is answered 503.',
  },
  {
    name: 'redisKeyPrefix',
    type: 'string',
    group: 'History',
    description:
      'Prefix of the Redis keys: hubs sharing it share history and fan-out (default spout:{hub}:).',
  },
  {
    name: 'presenceTtl',
    type: 'duration',
    group: 'History',
    default: 15_000,
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
    default: 'FULL',
    choices: ['FULL', 'NORMAL'],
    description: 'FULL survives power loss; NORMAL survives a killed process and is faster on slow disks.',
  },
  {
    name: 'unknownLastEventId',
    type: 'choice',
    group: 'History',
    default: 'replay',
    choices: ['replay', 'none'],
    description:
      'What a Last-Event-ID the hub does not know (never seen, or trimmed) replays: all kept history (replay) or nothing (none, as the Go hub).',
  },
  {
    name: 'maxBodyBytes',
    type: 'bytes',
    group: 'Limits',
    default: 1024 * 1024,
    min: 1,
    description: 'Largest publish body (413 above), e.g. 1mb.',
  },
  {
    name: 'maxBatchSize',
    type: 'integer',
    group: 'Limits',
    default: 1000,
    min: 1,
    description: 'Most updates in one JSON batch (413 above).',
  },
  {
    name: 'maxTopicsPerUpdate',
    type: 'integer',
    group: 'Limits',
    default: 32,
    min: 1,
    description: 'Most topics of one update (400 above).',
  },
  {
    name: 'maxSelectors',
    type: 'integer',
    group: 'Limits',
    default: 32,
    min: 1,
    description: 'Most topic selectors in one subscription (400 above).',
  },
  {
    name: 'maxSelectorLength',
    type: 'integer',
    group: 'Limits',
    default: 1024,
    min: 1,
    description: 'Longest topic selector in characters (400 above).',
  },
  {
    name: 'maxSubscribers',
    type: 'integer',
    group: 'Limits',
    default: 10_000,
    min: 1,
    description: 'Most subscribers at once (429 with Retry-After above).',
  },
  {
    name: 'maxSubscribersPerAddress',
    type: 'integer',
    group: 'Limits',
    default: 1000,
    min: 1,
    description: 'Most subscribers from one client address (429 with Retry-After above).',
  },
  {
    name: 'subscriberQueueBytes',
    type: 'bytes',
    group: 'Limits',
    default: 1024 * 1024,
    min: 1,
    description:
      'Most unsent bytes for one slow subscriber; past it the subscriber is disconnected and resumes by Last-Event-ID. An update must encode to at most half of it (413 above).',
  },
  {
    name: 'maxIdLength',
    type: 'integer',
    group: 'Limits',
    default: 1024,
    min: 1,
    max: 4096,
    description:
      'Longest update id a publisher may set, in characters (400 above): ids come back in the Last-Event-ID header.',
  },
  {
    name: 'replayStallTimeout',
    type: 'duration',
    group: 'Limits',
    default: 30_000,
    min: 1,
    description:
      'How long a replay waits for a subscriber to read what it was sent; past it the subscriber is disconnected and resumes by Last-Event-ID.',
  },
  {
    name: 'maxConnectionLifetime',
    type: 'duration',
    group: 'Limits',
    default: 86_400_000,
    min: 1,
    description:
      'Longest a subscription stays connected whatever its token; past it the client reconnects, re-authenticating and resuming by Last-Event-ID.',
  },
  {
    name: 'shutdownRetry',
    type: 'duration',
    group: 'Shutdown',
    default: 1000,
    min: 0,
    description:
      'Reconnection delay suggested to subscribers at shutdown (each gets a random value up to twice it).',
  },
  {
    name: 'shutdownTimeout',
    type: 'duration',
    group: 'Shutdown',
    default: 5000,
    min: 0,
    description: 'How long shutdown waits for connections to finish.',
  },
  {
    name: 'logLevel',
    type: 'choice',
    group: 'Logging',
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'Log level (JSON lines on stdout, pino).',
  },
];

/** `jwtKey` -> `--jwt-key`. */
export function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `jwtKey` -> `SPOUT_JWT_KEY`. */
export function envOf(name: string): string {
  return `SPOUT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
