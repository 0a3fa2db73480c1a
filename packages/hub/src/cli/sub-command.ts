/**
 * `spout sub <url> --topic T`: prints events as they come, one JSON line each,
 * reconnecting with Last-Event-ID (backoff with jitter, from @spout/client).
 */
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { connect, SseError } from '@spout/client';
import { ConfigError } from '../config/parse.ts';
import { parseUsage } from './args.ts';
import { unreachableMessage } from './unreachable.ts';

export const SUB_HELP = `Usage: spout sub <hub-url> --topic <selector>... [--last-event-id <id|earliest>] [--token <jwt>] [--data-only]

Subscribes and prints each event as a JSON line {"id","type","data"} (or the data alone with
--data-only). Reconnects with Last-Event-ID until interrupted; exits 1 on an error no retry can
fix (e.g. 401, 403, 404).
  --token   a subscriber JWT (default: SPOUT_TOKEN), needed for private updates
  --last-event-id  resume after this id; "earliest" replays all the hub keeps`;

const EXAMPLE_URL = 'http://127.0.0.1:3000/.well-known/mercure';

const SUB_OPTIONS = {
  topic: { type: 'string', multiple: true },
  'last-event-id': { type: 'string' },
  token: { type: 'string' },
  'data-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function subCommand(argv: string[], signal?: AbortSignal): Promise<number> {
  const { values, positionals } = parseUsage('sub', SUB_OPTIONS, () =>
    parseArgs({ args: argv, allowPositionals: true, options: SUB_OPTIONS }),
  );
  if (values.help) {
    process.stdout.write(`${SUB_HELP}\n`);
    return 0;
  }
  // Every problem of the command line at once: fixing one must not reveal the next.
  const problems: string[] = [];
  const base = positionals[0];
  const url = base === undefined ? null : URL.parse(base);
  if (base === undefined) problems.push(`give the hub URL, e.g. spout sub ${EXAMPLE_URL}`);
  else if (url === null)
    problems.push(`${JSON.stringify(base)} is not a URL; give the hub URL, e.g. ${EXAMPLE_URL}`);
  if (values.topic === undefined) problems.push('--topic: give at least one selector');
  const token = values.token ?? process.env['SPOUT_TOKEN'];
  const lastEventId = values['last-event-id'];
  // [spec] an id containing NUL, CR or LF is ignored by parsers: no hub could have sent it.
  if (lastEventId !== undefined && /[\0\r\n]/.test(lastEventId)) {
    problems.push('--last-event-id cannot contain NUL, CR or LF');
  }
  if (problems.length > 0 || url === null || values.topic === undefined)
    throw new ConfigError(problems.join('; '));
  for (const topic of values.topic) url.searchParams.append('topic', topic);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  signal?.addEventListener('abort', onSignal, { once: true });
  const connection = connect(url, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    lastEventId,
    signal: stop.signal,
    onError: (error) => {
      // The final error is reported once, below, where the loop throws it.
      if (connection.state === 'closed') return;
      const next = connection.state === 'connecting' ? '; reconnecting' : '';
      process.stderr.write(`spout sub: ${oneLine(error, base)}${next}\n`);
    },
  });
  try {
    for await (const event of connection) {
      const line = values['data-only']
        ? String(event.data)
        : JSON.stringify({ id: event.lastEventId, type: event.type, data: event.data });
      // A slow reader (a pipe into another program) holds the stream back instead of filling memory.
      if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain', { signal: stop.signal });
    }
  } catch (error) {
    if (error instanceof SseError) {
      process.stderr.write(`spout sub: ${oneLine(error, base)}\n`);
      return 1;
    }
    if (stop.signal.aborted && (error as Error).name === 'AbortError') return 0;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

/** One line, whatever the hub's error body holds: the message already quotes its start. */
function oneLine(error: SseError, url?: string): string {
  // A request that got no answer: name the URL and undici's cause instead of "fetch failed".
  if (url !== undefined && error.reason === 'network' && error.cause !== undefined)
    return unreachableMessage(url, error);
  return error.message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
