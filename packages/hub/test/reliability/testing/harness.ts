/**
 * What the reliability tests share: the real `spout hub` as a child process (so it can be
 * SIGKILLed and its file descriptors and memory read from /proc), raw HTTP exchanges that
 * send header bytes as browsers do, Prometheus readings, the scale knob of `npm run soak`
 * and the figures the tests report into docs/reliability.md.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { mintToken } from '../../../src/auth/index.ts';
import { type Child, run, waitForLine } from '../../../src/testing/run-cli.ts';

export { eventually } from '../../../src/testing/eventually.ts';

import { openStream, type TestStream } from '../../../src/testing/sse-reader.ts';
import { publishForm, subscribeUrlOf, TEST_SECRET } from '../../../src/testing/test-hub.ts';

/** A token that may publish anything to a hub started by {@link startHubProcess}. */
export const publisherToken = (): Promise<string> => mintToken({ secret: TEST_SECRET, publish: ['*'] });

/**
 * Multiplies the counts of the reliability tests: 1 in `npm test`, more in `npm run soak`
 * (RELIABILITY_SCALE; not a SPOUT_* name, so hub children do not warn about it).
 */
export const SCALE = Math.max(1, Number(process.env['RELIABILITY_SCALE'] ?? 1) || 1);

/** `count` times the scale, rounded. */
export const scaled = (count: number): number => Math.round(count * SCALE);

/**
 * Records a measured figure: appended as a JSON line to RELIABILITY_FIGURES when set
 * (`npm run soak` collects them into docs/reliability.md), else only shown by the reporter.
 */
export function recordFigure(name: string, value: number | string, unit = ''): void {
  const file = process.env['RELIABILITY_FIGURES'];
  const line = { name, value, unit, scale: SCALE };
  if (file !== undefined && file !== '') appendFileSync(file, `${JSON.stringify(line)}\n`);
  else process.stderr.write(`# figure: ${name} = ${value}${unit === '' ? '' : ` ${unit}`}\n`);
}

/** A `spout hub` child process. */
export interface HubProcess {
  child: Child;
  pid: number;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** `${url}/.well-known/mercure`. */
  hubUrl: string;
  /** SIGKILL, then wait for the exit. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful), then wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `spout hub` on a free loopback port with these extra arguments (e.g. `--db-path`,
 * `--store redis`), TEST_SECRET as key and anonymous subscribers unless `env` says otherwise.
 */
export async function startHubProcess(args: string[], env: Record<string, string> = {}): Promise<HubProcess> {
  // The web UI is off unless asked for with `--ui`.
  const ui = args.includes('--ui') ? [] : ['--no-ui'];
  // One process unless asked otherwise: the figures read from its pid (RSS, open files) are then the hub's.
  const workers = args.includes('--workers') ? [] : ['--workers', '1'];
  const child = run(['hub', '--port', '0', ...workers, ...ui, '--log-level', 'info', ...args], {
    SPOUT_JWT_KEY: TEST_SECRET,
    SPOUT_ANONYMOUS: 'true',
    ...env,
  });
  const line = await waitForLine(child, (l) => l.includes('hub listening'), 30_000);
  const hubUrl = (JSON.parse(line) as { url: string }).url;
  const exited = async (): Promise<number | null> => (await child.exited).code;
  return {
    child,
    pid: child.process.pid!,
    url: new URL(hubUrl).origin,
    hubUrl,
    async kill9() {
      child.process.kill('SIGKILL');
      await child.exited;
    },
    async stop() {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
      return exited();
    },
  };
}

/** Open file descriptors of a local process (Linux). */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** Resident set size of a local process in bytes (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib) * 1024;
}

/** The value of one Prometheus series (`name` or `name{labels}`) at `${url}/metrics`; 0 when absent. */
export async function metricValue(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}

/** A header value made of the UTF-8 bytes of `text`, as browsers send non-ASCII header values. */
export const utf8HeaderBytes = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

/** Whether Node (and a browser) can send this string as a header value: no control character but tab. */
export const isSendableHeader = (value: string): boolean => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);

/** The text of a header whose value arrived as UTF-8 bytes. */
export const fromUtf8HeaderBytes = (value: string): string => Buffer.from(value, 'latin1').toString('utf8');

/** What a raw exchange answered. A stream's body is not read: the connection is closed at its head. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over its own connection, header values sent as given (latin1 bytes); bounded by `timeoutMs`. */
export function exchange(
  url: string,
  init: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
  timeoutMs = 15_000,
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: init.method ?? 'GET',
        path: init.path ?? `${target.pathname}${target.search}`,
        headers: init.headers ?? {},
        agent: false,
      },
      (res) => {
        const head = { status: res.statusCode ?? 0, headers: res.headers };
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          req.destroy();
          resolve({ ...head, body: '' });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ ...head, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A refusal must say why: a non-empty body of one line (a trailing newline allowed). */
export function isOneLineReason(body: string): boolean {
  const text = body.endsWith('\n') ? body.slice(0, -1) : body;
  return text.trim() !== '' && !/[\r\n]/.test(text);
}

/**
 * Writes `head` (a whole request, as raw text) on a fresh connection and reads the answer until the
 * server closes it, a reset included: for requests Node's parser refuses before the hub sees them.
 */
export function rawExchange(url: string, head: string, timeoutMs = 15_000): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    const done = (): void => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      if (status === undefined) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(text.slice(0, 200))}`));
        return;
      }
      const split = text.indexOf('\r\n\r\n');
      const body = split === -1 ? '' : Buffer.from(text.slice(split + 4), 'latin1').toString('utf8');
      resolve({ status: Number(status), headers: {}, body });
    };
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => (chunks.length > 0 ? done() : reject(error)));
    socket.on('end', () => socket.end());
    socket.on('close', (hadError) => hadError || done());
    socket.write(head, 'latin1');
  });
}

/**
 * Publishes to `topic` from `lanes` concurrent loops until the hub stops answering (the
 * connection fails) or `stop()` says so; returns the ids answered 200, the acknowledged ones.
 */
export async function publishUntilDown(
  hubUrl: string,
  topic: string,
  token: string,
  lanes: number,
  stop: () => boolean = () => false,
): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (!stop()) {
        const n = next++;
        let res: Response;
        try {
          res = await publishForm(hubUrl, { topic, data: String(n) }, token);
        } catch {
          return; // the connection failed: the hub is gone
        }
        const id = await res.text();
        if (res.status !== 200) throw new Error(`publish answered ${res.status}: ${id}`);
        acknowledged.push(id);
      }
    }),
  );
  return acknowledged;
}

/** Reads `stream` until the event with id `last` arrived; returns every id it received, in order. */
export async function idsThrough(stream: TestStream, last: string, timeoutMs = 30_000): Promise<string[]> {
  for (let count = 1; ; count++) {
    const events = await stream.waitForEvents(count, timeoutMs);
    if (events.at(-1)?.lastEventId === last) return events.map((event) => event.lastEventId);
  }
}

/**
 * After a failure: publishes a last update to the hub at `hubUrl`, resumes from the last of
 * `received` (what a subscriber got before the failure) and checks that received then resumed
 * is exactly the kept history of `topic`, in order, none twice, holding every `acknowledged` id.
 * Returns the kept history, the last update excluded.
 */
export async function assertResumesExactly(
  hubUrl: string,
  topic: string,
  token: string,
  received: string[],
  acknowledged: string[],
): Promise<string[]> {
  const last = await (await publishForm(hubUrl, { topic, data: 'last' }, token)).text();
  const resumed = await openStream(subscribeUrlOf(hubUrl, [topic]), { 'last-event-id': received.at(-1)! });
  const history = await openStream(subscribeUrlOf(hubUrl, [topic], { lastEventID: 'earliest' }));
  try {
    assert.equal(resumed.status, 200, 'the resume is answered');
    const delivered = [...received, ...(await idsThrough(resumed, last))];
    const kept = await idsThrough(history, last);
    assert.equal(new Set(delivered).size, delivered.length, 'no update delivered twice');
    assert.deepEqual(delivered, kept, 'received then resumed is exactly the kept history, in order');
    const keptIds = new Set(kept);
    assert.deepEqual(
      acknowledged.filter((id) => !keptIds.has(id)),
      [],
      'every acknowledged update kept',
    );
    return kept.slice(0, -1);
  } finally {
    resumed.close();
    history.close();
  }
}

/**
 * Collects the ids of `topic` after `from` from the hub at `hubUrl` until `last` arrives, as a client
 * would: when the hub ends the stream (or refuses with 503 while its store comes back), it reconnects
 * with the Last-Event-ID of the last whole event it got, at most `reconnects` times.
 */
export async function resumeUntil(
  hubUrl: string,
  topic: string,
  from: string,
  last: string,
  reconnects = 5,
): Promise<string[]> {
  if (from === last) return [];
  const ids: string[] = [];
  const failures: string[] = [];
  for (let attempt = 0; attempt <= reconnects; attempt++) {
    const stream = await openStream(subscribeUrlOf(hubUrl, [topic]), { 'last-event-id': ids.at(-1) ?? from });
    if (stream.status === 200) {
      try {
        ids.push(...(await idsThrough(stream, last, 10_000)));
        return ids;
      } catch (error) {
        failures.push(`attempt ${attempt}: ${(error as Error).message}`);
        ids.push(...stream.events.map((event) => event.lastEventId));
      } finally {
        stream.close();
      }
    } else {
      failures.push(`attempt ${attempt}: ${stream.status}`);
      stream.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(
    `${last} not received after ${reconnects} reconnects (${failures.join('; ')}); got ${ids.length} ids`,
  );
}
