/**
 * Configuration of `spout hub` from defaults, an optional JSON file, SPOUT_*
 * environment variables and flags (each overriding the one before), validated
 * at start with errors that name the setting.
 */

import { readFileSync } from 'node:fs';
import { originRefusal } from '../http/origins.ts';
import { parseFlags } from './flags.ts';
import { applyMercureAliases } from './mercure-aliases.ts';
import { ConfigError, parseJson, parseText, within } from './parse.ts';
import { DEFAULTS, envOf, type HubConfig, type HubSettings, SETTINGS } from './settings.ts';
import { didYouMean } from './suggest.ts';

export type { HubConfig, HubSettings } from './settings.ts';

const BY_NAME = new Map(SETTINGS.map((s) => [s.name, s]));
const ENV_NAMES = new Set(SETTINGS.map((s) => envOf(s.name)));

/**
 * SPOUT_* variables that are not hub settings but are read by Spout elsewhere: the token of
 * `spout pub`/`spout sub`, the CLI's stack traces, the benchmarks' knobs.
 */
const OTHER_SPOUT_VARIABLES = new Set(['SPOUT_TOKEN', 'SPOUT_DEBUG']);
const OTHER_SPOUT_PREFIXES = ['SPOUT_BENCH_'];

function fromEnvironment(env: NodeJS.ProcessEnv): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const setting of SETTINGS) {
    const name = envOf(setting.name);
    const text = env[name];
    if (text !== undefined && text !== '')
      values.set(
        setting.name,
        within(name, () => parseText(setting, text)),
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
  return fromObject(`config file ${path}`, document);
}

/** Settings by name (a config file's, or given in code); `where` names them in errors. */
function fromObject(where: string, settings: object): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const [name, value] of Object.entries(settings)) {
    const setting = BY_NAME.get(name);
    if (setting === undefined || name === 'config') {
      const keys = SETTINGS.map((s) => s.name).filter((key) => key !== 'config');
      const hint = didYouMean(
        JSON.stringify(name),
        keys.map((key) => JSON.stringify(key)),
        'see spout hub --help',
      );
      throw new ConfigError(`${where}: unknown setting ${JSON.stringify(name)}; ${hint}`);
    }
    if (value !== undefined)
      values.set(
        name,
        within(`${where}: "${name}"`, () => parseJson(setting, value)),
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

/** The defaults overridden by each source in turn, checked as a whole. */
function resolve(sources: readonly Map<string, unknown>[]): HubConfig {
  const values = new Map<string, unknown>(Object.entries(DEFAULTS));
  for (const source of sources) {
    for (const [name, value] of source) values.set(name, value);
  }
  const config = Object.fromEntries(values) as unknown as HubConfig;
  config.corsOrigins = [...config.corsOrigins];
  checkConsistency(config);
  return config;
}

/**
 * Resolves the configuration of `spout hub`. `argv` holds the flags after `spout hub`.
 * @throws {ConfigError} naming the setting, and where its bad value came from.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): HubConfig {
  const flags = parseFlags(argv);
  const environment = fromEnvironment(applyMercureAliases(env).env);
  const file = (flags.get('config') ?? environment.get('config')) as string | undefined;
  return resolve([file === undefined ? new Map() : fromFile(file), environment, flags]);
}

/**
 * Resolves settings given in code, named as in the config file (`{ port: 0, store: 'memory' }`),
 * over the defaults, with the checks `spout hub` makes. `config` names a config file read under
 * them, as `--config` does. Durations and sizes may be numbers (milliseconds, bytes) or text as on
 * the command line (`'15s'`, `'1mb'`).
 * @throws {ConfigError} naming the setting.
 */
export function resolveSettings(settings: HubSettings = {}): HubConfig {
  const { config: file, ...given } = settings;
  return resolve([file === undefined ? new Map() : fromFile(file), fromObject('settings', given)]);
}
