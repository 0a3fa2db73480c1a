/**
 * MERCURE_* environment variables of the Go hub (and its Caddy module), read as the Spout settings
 * they stand for, each with a warning naming the setting (docs/mercure.md, "Migrating from the Go hub").
 * A SPOUT_* variable always wins over its alias.
 */
import { envOf, flagOf } from './settings.ts';

/** One alias: the Go hub's variable, the Spout setting, and how its text becomes the setting's text. */
interface Alias {
  variable: string;
  setting: string;
  /** Rewrites the value into Spout's syntax; default: as it is. */
  convert?: (text: string) => string;
}

/** Caddy lists are separated by spaces; Spout lists by commas. */
const spaceList = (text: string): string =>
  text
    .trim()
    .split(/[\s,]+/)
    .join(',');

/** The aliases Spout reads. */
export const MERCURE_ALIASES: readonly Alias[] = [
  { variable: 'MERCURE_PUBLISHER_JWT_KEY', setting: 'publisherJwtKey' },
  { variable: 'MERCURE_PUBLISHER_JWT_ALG', setting: 'publisherJwtAlgorithms' },
  { variable: 'MERCURE_SUBSCRIBER_JWT_KEY', setting: 'subscriberJwtKey' },
  { variable: 'MERCURE_SUBSCRIBER_JWT_ALG', setting: 'subscriberJwtAlgorithms' },
  { variable: 'MERCURE_JWT_KEY', setting: 'jwtKey' },
  { variable: 'MERCURE_JWT_ALG', setting: 'jwtAlgorithms' },
  { variable: 'MERCURE_ANONYMOUS', setting: 'anonymous' },
  { variable: 'MERCURE_CORS_ORIGINS', setting: 'corsOrigins', convert: spaceList },
  { variable: 'MERCURE_HEARTBEAT_INTERVAL', setting: 'heartbeat' },
  { variable: 'MERCURE_TRANSPORT_URL', setting: 'redisUrl' },
];

/** Go hub variables with no Spout equivalent, and what to do instead. */
const UNMAPPED: Readonly<Record<string, string>> = {
  MERCURE_PUBLISHER_ORIGINS:
    'has no separate equivalent: corsOrigins (SPOUT_CORS_ORIGINS) lists the origins allowed to use cookies, publishers included',
  MERCURE_EXTRA_DIRECTIVES:
    'is a Caddyfile snippet: translate each directive with the table in docs/mercure.md',
};

/** What the aliases add to the environment, and one warning per variable read or ignored. */
export interface AliasResult {
  env: NodeJS.ProcessEnv;
  warnings: { name: string; message: string }[];
}

function transportUrl(text: string): Record<string, string> | undefined {
  // Only a Redis transport maps (bolt:// and local are the Go hub's own stores: Spout keeps its own history).
  return /^rediss?:\/\//.test(text) ? { SPOUT_STORE: 'redis', SPOUT_REDIS_URL: text } : undefined;
}

function readAlias(alias: Alias, text: string, env: NodeJS.ProcessEnv): AliasResult['warnings'][number] {
  const target = envOf(alias.setting);
  const named = `${alias.setting} (${target}, ${flagOf(alias.setting)})`;
  if (env[target] !== undefined) {
    return { name: alias.variable, message: `${alias.variable} is ignored: ${target} is set and wins` };
  }
  if (alias.variable === 'MERCURE_TRANSPORT_URL') {
    const mapped = transportUrl(text);
    if (mapped === undefined) {
      return {
        name: alias.variable,
        message: `${alias.variable} is ignored: only redis:// transports map to Spout (setting store)`,
      };
    }
    Object.assign(env, mapped);
    return {
      name: alias.variable,
      message: `${alias.variable} is read as store=redis and ${named}; rename it`,
    };
  }
  env[target] = alias.convert === undefined ? text : alias.convert(text);
  return { name: alias.variable, message: `${alias.variable} is read as ${named}; rename it` };
}

/** Applies the MERCURE_* aliases to a copy of `env`. */
export function applyMercureAliases(env: NodeJS.ProcessEnv): AliasResult {
  const result: AliasResult = { env: { ...env }, warnings: [] };
  for (const alias of MERCURE_ALIASES) {
    const text = env[alias.variable];
    if (text !== undefined && text !== '') result.warnings.push(readAlias(alias, text, result.env));
  }
  for (const [name, advice] of Object.entries(UNMAPPED)) {
    if (env[name] !== undefined) result.warnings.push({ name, message: `${name} ${advice}` });
  }
  return result;
}
