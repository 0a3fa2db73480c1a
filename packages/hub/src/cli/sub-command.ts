/**
 * `spout sub <url> --topic T`: prints events as they come, one JSON line each,
 * reconnecting with Last-Event-ID (backoff with jitter, from @spout/client).
 */
import { parseArgs } from 'node:util';
import { connect } from '@spout/client';
import { ConfigError } from '../config/parse.ts';

export const SUB_HELP = `Usage: spout sub <hub-url> --topic <selector>... [--last-event-id <id|earliest>] [--token <jwt>] [--data-only]

Subscribes and prints each event as a JSON line {"id","type","data"} (or the data alone with
--data-only). Reconnects with Last-Event-ID until interrupted.
  --token   a subscriber JWT (default: SPOUT_TOKEN), needed for private updates
  --last-event-id  resume after this id; "earliest" replays all the hub keeps`;

export async function subCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      topic: { type: 'string', multiple: true },
      'last-event-id': { type: 'string' },
      token: { type: 'string' },
      'data-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${SUB_HELP}\n`);
    return 0;
  }
  const base = positionals[0];
  if (base === undefined)
    throw new ConfigError('give the hub URL, e.g. spout sub http://127.0.0.1:3000/.well-known/mercure');
  if (values.topic === undefined) throw new ConfigError('--topic: give at least one selector');
  const url = new URL(base);
  for (const topic of values.topic) url.searchParams.append('topic', topic);
  const token = values.token ?? process.env['SPOUT_TOKEN'];
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  signal?.addEventListener('abort', onSignal, { once: true });
  const connection = connect(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    lastEventId: values['last-event-id'],
    signal: stop.signal,
    onError: (error) => process.stderr.write(`spout sub: ${error.message}; reconnecting\n`),
  });
  try {
    for await (const event of connection) {
      const line = values['data-only']
        ? String(event.data)
        : JSON.stringify({ id: event.lastEventId, type: event.type, data: event.data });
      process.stdout.write(`${line}\n`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
