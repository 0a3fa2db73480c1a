/**
 * The hub end to end against @spout/server's bare Channel: 1,000 and 10,000 subscribers
 * (hub: half exact selectors, half URI templates), publishers over HTTP (single updates,
 * batches of 50, and a paced stream for latency), the hub on its durable sqlite store.
 * Measures publishes/s, deliveries/s, publish-to-receive latency p50/p99 (paced phase),
 * CPU seconds per million deliveries and memory per idle subscriber. Bounded: a few
 * seconds per phase. Usage: node bench/hub/main.ts [subscriber counts, default 1000 10000]
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mintToken } from '@spout/hub';
import { createHistogram, merge, percentile } from '../lib/histogram.ts';
import { machineLine, markdownTable, median, publish } from '../lib/report.ts';
import { BENCH_SECRET } from './server.ts';
import { payload, topicOf } from './workload.ts';

const PHASE_MS = 2000;
/** Each phase runs this many times; the table shows the median of each figure (the machine is shared). */
const REPEATS = 3;
const PER_PROCESS = 5000;
const BATCH = 50;
const counts = process.argv.slice(2).map(Number);
const sizes = counts.length > 0 ? counts : [1000, 10_000];

interface Stats {
  cpuSeconds: number;
  rss: number;
  heapUsed: number;
}

function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as T));
    child.send(message as object);
  });
}

function start(
  script: string,
  args: string[],
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; first: unknown }> {
  const child = fork(new URL(script, import.meta.url), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (first) => resolve({ child, first }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Mode = 'single' | 'batch' | 'paced';

function request(kind: string, port: number, token: string, mode: Mode, sequence: number): Promise<Response> {
  const url =
    kind === 'hub' ? `http://127.0.0.1:${port}/.well-known/mercure` : `http://127.0.0.1:${port}/publish`;
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  let body: string;
  if (mode === 'batch') {
    headers['content-type'] = 'application/json';
    const items = Array.from({ length: BATCH }, (_, k) => sequence + k);
    body = JSON.stringify(
      kind === 'hub' ? items.map((s) => ({ topic: topicOf(s), data: payload(s) })) : items.map(payload),
    );
  } else if (kind === 'hub') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ topic: topicOf(sequence), data: payload(sequence) }).toString();
  } else body = payload(sequence);
  return fetch(url, { method: 'POST', headers, body });
}

/** Publishes for PHASE_MS; returns how many updates were accepted. */
async function publishFor(kind: string, port: number, token: string, mode: Mode): Promise<number> {
  let sequence = 0;
  const deadline = Date.now() + PHASE_MS;
  const perRequest = mode === 'batch' ? BATCH : 1;
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const res = await request(kind, port, token, mode, sequence);
      sequence += perRequest;
      if (!res.ok) throw new Error(`publish answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      if (mode === 'paced') await sleep(20);
    }
  };
  await Promise.all(Array.from({ length: mode === 'paced' ? 1 : 4 }, loop));
  return sequence;
}

async function delivered(subscribers: ChildProcess[]): Promise<number> {
  const counts = await Promise.all(subscribers.map((s) => ask<{ received: number }>(s, { cmd: 'count' })));
  return counts.reduce((sum, c) => sum + c.received, 0);
}

/** Waits until deliveries stop growing; returns the total and when the last one arrived. */
async function drain(subscribers: ChildProcess[]): Promise<{ total: number; at: number }> {
  let total = await delivered(subscribers);
  let at = Date.now();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await sleep(250);
    const now = await delivered(subscribers);
    if (now === total) break;
    total = now;
    at = Date.now();
  }
  return { total, at };
}

async function phase(
  kind: string,
  port: number,
  token: string,
  server: ChildProcess,
  subs: ChildProcess[],
  mode: Mode,
) {
  await Promise.all(subs.map((s) => ask(s, { cmd: 'reset' })));
  const before = await ask<Stats>(server, 'stats');
  const started = Date.now();
  const published = await publishFor(kind, port, token, mode);
  const { total, at } = await drain(subs);
  const after = await ask<Stats>(server, 'stats');
  const histogram = createHistogram();
  for (const s of subs)
    merge(histogram, (await ask<{ histogram: number[] }>(s, { cmd: 'latency' })).histogram);
  return {
    publishesPerSecond: published / (PHASE_MS / 1000),
    deliveriesPerSecond: total / ((at - started) / 1000),
    p50: percentile(histogram, 0.5),
    p99: percentile(histogram, 0.99),
    cpuPerMillion: ((after.cpuSeconds - before.cpuSeconds) / total) * 1e6,
  };
}

const LABELS: Record<string, string> = {
  hub: '@spout/hub, mixed selectors',
  'hub-uniform': '@spout/hub, one template for all',
  channel: '@spout/server Channel',
};

/** The median of each figure over several runs of a phase. */
function medianOf<T extends Record<string, number>>(runs: readonly T[]): T {
  const keys = Object.keys(runs[0]!) as (keyof T)[];
  return Object.fromEntries(keys.map((key) => [key, median(runs.map((r) => r[key] as number))])) as T;
}

async function run(workload: string, size: number) {
  const kind = workload === 'channel' ? 'channel' : 'hub';
  // BENCH_SERVER_ARGS='--cpu-prof' profiles the server processes.
  const extra = process.env['BENCH_SERVER_ARGS']?.split(' ').filter(Boolean) ?? [];
  const { child: server, first } = await start('./server.ts', [kind], ['--expose-gc', ...extra]);
  const port = (first as { port: number }).port;
  const token = await mintToken({ secret: BENCH_SECRET, publish: ['*'] });
  // Memory per subscriber is the growth from the first half of the subscribers to all of them:
  // one-time costs (compiled code, caches, buffers) are paid by the first half.
  const subs: ChildProcess[] = [];
  const connect = async (from: number, to: number): Promise<void> => {
    for (let at = from; at < to; at += PER_PROCESS) {
      const count = Math.min(PER_PROCESS, to - at);
      const address = `127.0.0.${2 + subs.length}`;
      const { child } = await start('./subscribers.ts', [
        String(port),
        address,
        workload,
        String(at),
        String(count),
      ]);
      subs.push(child);
    }
    await sleep(1000);
  };
  const half = Math.floor(size / 2);
  await connect(0, half);
  const halfway = await ask<Stats>(server, 'stats');
  await connect(half, size);
  const connected = await ask<Stats>(server, 'stats');
  const memoryPerSubscriber = (connected.rss - halfway.rss) / (size - half);
  const heapPerSubscriber = (connected.heapUsed - halfway.heapUsed) / (size - half);
  const rows: string[][] = [];
  const results: Record<string, Awaited<ReturnType<typeof phase>>> = {};
  for (const mode of ['single', 'batch', 'paced'] as const) {
    const runs: Awaited<ReturnType<typeof phase>>[] = [];
    for (let i = 0; i < REPEATS; i++) runs.push(await phase(kind, port, token, server, subs, mode));
    const result = medianOf(runs);
    results[mode] = result;
    rows.push([
      LABELS[workload]!,
      size.toLocaleString('en'),
      mode === 'batch' ? `batch of ${BATCH}` : mode,
      Math.round(result.publishesPerSecond).toLocaleString('en'),
      Math.round(result.deliveriesPerSecond).toLocaleString('en'),
      mode === 'paced' ? result.p50.toFixed(2) : '',
      mode === 'paced' ? result.p99.toFixed(2) : '',
      result.cpuPerMillion.toFixed(2),
      (memoryPerSubscriber / 1024).toFixed(1),
      (heapPerSubscriber / 1024).toFixed(1),
    ]);
  }
  for (const child of subs) child.kill();
  server.disconnect();
  await new Promise((resolve) => server.once('exit', resolve));
  return { rows, results, memoryPerSubscriber, heapPerSubscriber };
}

const rows: string[][] = [];
const ratios: string[] = [];
for (const size of sizes) {
  const mixed = await run('hub', size);
  const uniform = await run('hub-uniform', size);
  const channel = await run('channel', size);
  rows.push(...mixed.rows, ...uniform.rows, ...channel.rows);
  const n = size.toLocaleString('en');
  for (const mode of ['single', 'batch', 'paced'] as const) {
    const ratio = uniform.results[mode]!.cpuPerMillion / channel.results[mode]!.cpuPerMillion;
    ratios.push(`- ${n} subscribers, ${mode}: hub CPU per delivery = ${ratio.toFixed(2)} × channel`);
  }
  const memory = mixed.memoryPerSubscriber / channel.memoryPerSubscriber;
  const heap = mixed.heapPerSubscriber / channel.heapPerSubscriber;
  ratios.push(
    `- ${n} subscribers: hub memory per idle subscriber = ${memory.toFixed(2)} × channel (RSS), ${heap.toFixed(2)} × (heap)`,
  );
}

publish(
  'hub',
  [
    '## Hub end to end (`bench/hub`)',
    '',
    `Measured ${machineLine()}, on a machine shared with other jobs (figures vary by tens of percent`,
    'between runs). Server, subscribers and publishers run in separate processes on loopback. The hub uses',
    'its durable sqlite store (synchronous FULL, group commit). Subscribers are raw sockets: "mixed" has half',
    'of them on an exact selector (one room of 100) and half on a URI template matching every room;',
    '"one template for all" gives every subscriber the template, the delivery pattern of the channel.',
    `Publishing: 4 concurrent HTTP publishers for ${PHASE_MS / 1000} s, single updates or JSON batches of ${BATCH};`,
    'latency comes from a paced phase (one publisher, about 50 updates/s) so that it is not queueing.',
    `Each phase runs ${REPEATS} times and the table shows the median of each figure. Memory per idle subscriber is`,
    'the growth from half of the subscribers connected to all of them, so one-time costs are not counted.',
    "CPU is the server process's only (all its threads, the sqlite writer included).",
    '',
    markdownTable(
      [
        'server',
        'subscribers',
        'publishing',
        'publishes/s',
        'deliveries/s',
        'p50 ms',
        'p99 ms',
        'CPU s / 1M deliveries',
        'KiB RSS / idle subscriber',
        'KiB heap / idle subscriber',
      ],
      rows,
    ),
    '',
    'Hub against the bare channel (target: at most 1.25 ×). CPU is compared on the same delivery pattern',
    '(one template for all); memory on the mixed selectors:',
    '',
    ...ratios,
  ].join('\n'),
);
process.exit(0);
