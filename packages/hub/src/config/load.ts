/**
 * Configuration of `spout hub` from defaults, an optional JSON file, SPOUT_*
 * environment variables and flags (each overriding the one before), validated
 * at start with errors that name the setting.
 */

import { readFileSync } from 'node:fs';
import type { HubLimits } from '../core/limits.ts';
import { originRefusal } from '../http/origins.ts';
import { applyMercureAliases } from './mercure-aliases.ts';
import { ConfigError, parseJson, parseText } from './parse.ts';
import { envOf, flagOf, SETTINGS } from './settings.ts';
import { didYouMean } from './suggest.ts';

/** The resolved configuration: every setting by name (limits keep their HubLimits names). */
export interface HubConfig extends HubLimits {
  config: string | undefined;
  dev: boolean;
  host: string;
  port: number;
  /** Worker processes; undefined means the default ({@link workerCount}). */
  workers: number | undefined;
  cert: string | undefined;
  key: string | undefined;
  trustProxy: boolean;
  jwtKey: string | undefined;
  jwtAlgorithms: string[] | undefined;
  publisherJwtKey: string | undefined;
  publisherJwtAlgorithms: string[] | undefined;
  subscriberJwtKey: string | undefined;
  subscriberJwtAlgorithms: string[] | undefined;
  jwksFile: string | undefined;
  jwksUrl: string | undefined;
  jwtAudience: string[] | undefined;
  jwtIssuer: string[] | undefined;
  unknownLastEventId: 'replay' | 'none';
  anonymous: boolean;
  protocol: 'classic' | 'current' | 'both';
  cookieName: string | undefined;
  corsOrigins: string[];
  subscriptions: boolean;
  metrics: boolean;
  metricsToken: string | undefined;
  ui: boolean;
  heartbeat: number;
  store: 'sqlite' | 'memory' | 'redis';
  redisUrl: string;
  redisKeyPrefix: string | undefined;
  redisReplicas: number;
  redisReplicaTimeout: number;
  presenceTtl: number;
  dbPath: string;
  historyMaxCount: number | undefined;
  historyMaxAge: number | undefined;
  sqliteSynchronous: 'FULL' | 'NORMAL';
  shutdownRetry: number;
  shutdownTimeout: number;
  logLevel: string;
}

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));
const BY_FLAG = new Map(SETTINGS.map((s) => [flagOf(s.name), s]));
const FLAGS = [
  ...BY_FLAG.keys(),
  ...SETTINGS.filter((s) => s.type === 'boolean').map((s) => `--no-${flagOf(s.name).slice(2)}`),
  '--help',
];
const ENV_NAMES = new Set(SETTINGS.map((s) => envOf(s.name)));

/**
 * SPOUT_* variables that are not hub settings but are read by Spout elsewhere: the token of
 * `spout pub`/`spout sub`, the CLI's stack traces, the benchmarks' knobs.
 */
const OTHER_SPOUT_VARIABLES = new Set(['SPOUT_TOKEN', 'SPOUT_DEBUG']);
const OTHER_SPOUT_PREFIXES = ['SPOUT_BENCH_'];

function read(where: string, parse: () => unknown): unknown {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${where}: ${error.message}`);
    throw error;
  }
}

/** Parses `--name value`, `--name=value`, `--flag` and `--no-flag`. Throws on unknown flags. */
export function parseFlags(argv: readonly string[]): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const negated = flag.startsWith('--no-') ? BY_FLAG.get(`--${flag.slice(5)}`) : undefined;
    if (negated?.type === 'boolean' && eq === -1) {
      values.set(negated.name, false);
      continue;
    }
    const setting = BY_FLAG.get(flag);
    if (setting === undefined) {
      const hint = didYouMean(flag, FLAGS, 'see spout hub --help');
      throw new ConfigError(`unknown option ${JSON.stringify(arg)}; ${hint}`);
    }
    let text: string;
    if (eq !== -1) text = arg.slice(eq + 1);
    else if (setting.type === 'boolean' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('--')))
      text = 'true';
    else {
      const next = argv[++i];
      if (next === undefined) throw new ConfigError(`${flag} needs a value`);
      text = next;
    }
    values.set(
      setting.name,
      read(flag, () => parseText(setting, text)),
    );
  }
  return values;
}

function fromEnvironment(env: NodeJS.ProcessEnv): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const setting of SETTINGS) {
    const name = envOf(setting.name);
    const text = env[name];
    if (text !== undefined && text !== '')
      values.set(
        setting.name,
        read(name, () => parseText(setting, text)),
      );
  }
  return values;
}

function fromFile(path: string): Map<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`config file ${path}: ${(error as Error).message}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ConfigError(`config file ${path}: must hold a JSON object of settings`);
  }
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(document)) {
    const setting = BY_NAME.get(name);
    if (setting === undefined || name === 'config') {
      const keys = SETTINGS.map((s) => s.name).filter((key) => key !== 'config');
      const hint = didYouMean(
        JSON.stringify(name),
        keys.map((key) => JSON.stringify(key)),
        'see spout hub --help',
      );
      throw new ConfigError(`config file ${path}: unknown setting ${JSON.stringify(name)}; ${hint}`);
    }
    values.set(
      name,
      read(`config file ${path}: "${name}"`, () => parseJson(setting, value)),
    );
  }
  return values;
}

/**
 * One message per SPOUT_* variable that no setting reads, naming the nearest setting when it
 * looks like a typo. Warnings, not errors: other tools may share the prefix.
 */
export function unknownEnvironmentVariables(env: NodeJS.ProcessEnv): { name: string; message: string }[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('SPOUT_') && !ENV_NAMES.has(name) && !OTHER_SPOUT_VARIABLES.has(name))
    .filter((name) => !OTHER_SPOUT_PREFIXES.some((prefix) => name.startsWith(prefix)))
    .sort()
    .map((name) => {
      const hint = didYouMean(name, [...ENV_NAMES, ...OTHER_SPOUT_VARIABLES], 'see spout hub --help');
      return { name, message: `${name} is not a setting of spout hub and is ignored; ${hint}` };
    });
}

function checkConsistency(config: HubConfig): void {
  if ((config.cert === undefined) !== (config.key === undefined)) {
    throw new ConfigError(
      'cert and key go together: set both --cert and --key (SPOUT_CERT, SPOUT_KEY) or neither',
    );
  }
  for (const origin of config.corsOrigins) {
    const refusal = originRefusal(origin);
    if (refusal !== undefined) throw new ConfigError(`corsOrigins: ${refusal}`);
  }
  if (config.corsOrigins.includes('*') && (!config.anonymous || config.corsOrigins.length > 1)) {
    throw new ConfigError(
      'corsOrigins: "*" is allowed only alone and with --anonymous; list the origins instead',
    );
  }
  const hasKey = [config.jwtKey, config.publisherJwtKey, config.jwksFile, config.jwksUrl].some(
    (v) => v !== undefined,
  );
  if (!hasKey && !config.dev) {
    throw new ConfigError(
      "jwtKey: no key verifies publishers' tokens, so nobody could publish. Set --jwt-key (SPOUT_JWT_KEY), " +
        '--jwks-file or --jwks-url, or run with --dev for a generated development key',
    );
  }
}

/**
 * Resolves the configuration. `argv` holds the flags after `spout hub`.
 * @throws {ConfigError} naming the setting, and where its bad value came from.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HubConfig {
  const flags = parseFlags(argv);
  const environment = fromEnvironment(applyMercureAliases(env).env);
  const file = (flags.get('config') ?? environment.get('config')) as string | undefined;
  const values = new Map<string, unknown>();
  for (const setting of SETTINGS) values.set(setting.name, setting.default);
  for (const source of [file === undefined ? new Map() : fromFile(file), environment, flags]) {
    for (const [name, value] of source) values.set(name, value);
  }
  const config = Object.fromEntries(values) as unknown as HubConfig;
  if (Array.isArray(config.corsOrigins)) config.corsOrigins = [...config.corsOrigins];
  checkConsistency(config);
  return config;
}
