/**
 * `spout pub <url> --topic T --data D`: publishes one update and prints its id.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/parse.ts';
import { parseUsage } from './args.ts';
import { UnreachableError } from './unreachable.ts';

export const PUB_HELP = `Usage: spout pub <hub-url> --topic <topic> [--topic <alternate>]... [--data <text> | --data-file <path>]
                 [--id <id>] [--type <event-type>] [--retry <ms>] [--private] [--token <jwt>]

Publishes one update (form-encoded, as the Mercure spec says) and prints the id the hub assigned.
  <hub-url>   e.g. http://127.0.0.1:3000/.well-known/mercure
  --token     a publisher JWT (default: SPOUT_TOKEN); see spout token
  --data-file read the data from a file ("-" for stdin)`;

async function readData(path: string): Promise<string> {
  if (path === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}

const PUB_OPTIONS = {
  topic: { type: 'string', multiple: true },
  data: { type: 'string' },
  'data-file': { type: 'string' },
  id: { type: 'string' },
  type: { type: 'string' },
  retry: { type: 'string' },
  private: { type: 'boolean' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const EXAMPLE_URL = 'http://127.0.0.1:3000/.well-known/mercure';

export async function pubCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseUsage('pub', PUB_OPTIONS, () =>
    parseArgs({ args: argv, allowPositionals: true, options: PUB_OPTIONS }),
  );
  if (values.help) {
    process.stdout.write(`${PUB_HELP}\n`);
    return 0;
  }
  // Every problem of the command line at once: fixing one must not reveal the next.
  const problems: string[] = [];
  const url = positionals[0];
  if (url === undefined) problems.push(`give the hub URL, e.g. spout pub ${EXAMPLE_URL}`);
  else if (!/^https?:$/.test(URL.parse(url)?.protocol ?? ''))
    problems.push(`${JSON.stringify(url)} is not an http(s) URL; give the hub URL, e.g. ${EXAMPLE_URL}`);
  if (positionals.length > 1) problems.push(`one hub URL only, got ${positionals.length} arguments`);
  if (values.topic === undefined) problems.push('--topic: give at least one topic');
  if (values.data !== undefined && values['data-file'] !== undefined)
    problems.push('--data and --data-file: give one of them');
  if (values.retry !== undefined && !/^\d+$/.test(values.retry))
    problems.push(`--retry: milliseconds as a whole number, got ${JSON.stringify(values.retry)}`);
  if (problems.length > 0 || url === undefined || values.topic === undefined)
    throw new ConfigError(problems.join('; '));
  const form = new URLSearchParams();
  for (const topic of values.topic) form.append('topic', topic);
  const data = values['data-file'] !== undefined ? await readData(values['data-file']) : values.data;
  if (data !== undefined) form.set('data', data);
  if (values.id !== undefined) form.set('id', values.id);
  if (values.type !== undefined) form.set('type', values.type);
  if (values.retry !== undefined) form.set('retry', values.retry);
  if (values.private) form.set('private', 'on');
  const token = values.token ?? process.env['SPOUT_TOKEN'];
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  let res: Response;
  try {
    // [fetch] a 301/302 would be followed as a GET without the body: a hub never redirects a publish.
    res = await fetch(url, { method: 'POST', headers, body: form, redirect: 'manual' });
  } catch (error) {
    throw new UnreachableError(url, error);
  }
  const body = await res.text();
  const notHub = notAHub(url, res, body);
  if (notHub !== undefined) {
    process.stderr.write(`spout pub: ${notHub}\n`);
    return 1;
  }
  if (!res.ok) {
    process.stderr.write(`spout pub: the hub answered ${res.status}: ${body.trim()}\n`);
    return 1;
  }
  process.stdout.write(`${body}\n`);
  return 0;
}

/** Why the answer cannot come from a hub's publish endpoint (a redirect, a web page), if it cannot. */
function notAHub(url: string, res: Response, body: string): string | undefined {
  const hint = `give the hub's URL, e.g. ${EXAMPLE_URL}`;
  if (res.status >= 300 && res.status < 400) {
    const location = res.headers.get('location');
    const to = location === null ? '' : ` to ${new URL(location, url).href}`;
    return `${url} answered ${res.status}, a redirect${to}, and a hub never redirects a publish: not a hub; ${hint}`;
  }
  const type = (res.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml' || /^\s*<(!doctype|html)/i.test(body)) {
    return `${url} answered ${res.status} with a web page (${type || 'HTML'}), not a hub's answer; ${hint}`;
  }
  return undefined;
}
