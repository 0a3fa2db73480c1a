/**
 * `spout pub <url> --topic T --data D`: publishes one update and prints its id.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/parse.ts';

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

export async function pubCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      topic: { type: 'string', multiple: true },
      data: { type: 'string' },
      'data-file': { type: 'string' },
      id: { type: 'string' },
      type: { type: 'string' },
      retry: { type: 'string' },
      private: { type: 'boolean' },
      token: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${PUB_HELP}\n`);
    return 0;
  }
  const url = positionals[0];
  if (url === undefined)
    throw new ConfigError('give the hub URL, e.g. spout pub http://127.0.0.1:3000/.well-known/mercure');
  if (values.topic === undefined) throw new ConfigError('--topic: give at least one topic');
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
  const res = await fetch(url, { method: 'POST', headers, body: form });
  const body = await res.text();
  if (!res.ok) {
    process.stderr.write(`spout pub: the hub answered ${res.status}: ${body.trim()}\n`);
    return 1;
  }
  process.stdout.write(`${body}\n`);
  return 0;
}
