/**
 * `spout token`: mints a JWT for development.
 */
import { parseArgs } from 'node:util';
import { mintToken } from '../auth/index.ts';
import { ConfigError, parseText } from '../config/parse.ts';
import { parseUsage } from './args.ts';

export const TOKEN_HELP = `Usage: spout token --secret <key> [--publish <selector>]... [--subscribe <selector>]...
                   [--payload <json>] [--ttl <duration>] [--alg HS256|HS384|HS512]

Mints an HMAC-signed JWT with a "mercure" claim, for development and tests.
  --secret     the hub's HMAC key (default: SPOUT_JWT_KEY)
  --publish    a topic selector the token may publish to (repeat; "*" for all)
  --subscribe  a topic selector whose private updates the token may receive (repeat)
  --payload    JSON attached to the subscriber's subscription events (mercure.payload)
  --ttl        lifetime, e.g. 1h or 7d (default: no expiry)`;

const TOKEN_OPTIONS = {
  secret: { type: 'string' },
  publish: { type: 'string', multiple: true },
  subscribe: { type: 'string', multiple: true },
  payload: { type: 'string' },
  ttl: { type: 'string' },
  alg: { type: 'string', default: 'HS256' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function tokenCommand(argv: string[]): Promise<number> {
  const { values } = parseUsage('token', TOKEN_OPTIONS, () =>
    parseArgs({ args: argv, options: TOKEN_OPTIONS }),
  );
  if (values.help) {
    process.stdout.write(`${TOKEN_HELP}\n`);
    return 0;
  }
  // Every problem of the command line at once: fixing one must not reveal the next.
  const problems: string[] = [];
  const secret = values.secret ?? process.env['SPOUT_JWT_KEY'];
  if (secret === undefined) problems.push('--secret: give the hub key (or set SPOUT_JWT_KEY)');
  if (values.publish === undefined && values.subscribe === undefined) {
    problems.push('give at least one --publish or --subscribe selector');
  }
  const alg = values.alg;
  if (alg !== 'HS256' && alg !== 'HS384' && alg !== 'HS512')
    problems.push('--alg: use HS256, HS384 or HS512');
  let payload: unknown;
  if (values.payload !== undefined) {
    try {
      payload = JSON.parse(values.payload);
    } catch (error) {
      problems.push(`--payload: not JSON: ${(error as Error).message}`);
    }
  }
  const ttl = values.ttl === undefined ? undefined : parseTtl(values.ttl, problems);
  if (problems.length > 0 || secret === undefined || (alg !== 'HS256' && alg !== 'HS384' && alg !== 'HS512'))
    throw new ConfigError(problems.join('; '));
  const token = await mintToken({
    secret,
    algorithm: alg,
    publish: values.publish,
    subscribe: values.subscribe,
    payload,
    expiresInSeconds: ttl === undefined ? undefined : Math.round(ttl / 1000),
  });
  process.stdout.write(`${token}\n`);
  return 0;
}

/** --ttl in milliseconds, or undefined after noting the problem: the message names the flag and the unit. */
function parseTtl(text: string, problems: string[]): number | undefined {
  const unit = 'give a duration with its unit, e.g. 90s, 15m, 1h or 7d';
  if (/^\d+$/.test(text.trim())) {
    problems.push(`--ttl ${text}: a number alone would be milliseconds; ${unit} (at least 1s)`);
    return undefined;
  }
  try {
    return parseText(
      { name: 'ttl', type: 'duration', group: '', description: '', min: 1000 },
      text,
    ) as number;
  } catch (error) {
    problems.push(`--ttl ${text}: ${(error as Error).message}; ${unit} (at least 1s)`);
    return undefined;
  }
}
