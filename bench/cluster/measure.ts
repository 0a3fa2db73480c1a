/**
 * What the cluster benchmark does to one server: connect subscribers in steps (memory per idle
 * subscriber is the slope of the server's memory over them), then publish bursts and count what
 * every subscriber received. CPU and memory are summed over every process of the server.
 */
import type { ChildProcess } from 'node:child_process';
import { ask, sleep, start } from '../lib/children.ts';
import { createHistogram, merge, percentile } from '../lib/histogram.ts';
import { cpuSeconds, rssBytes } from '../lib/proc.ts';
import type { SubscriberCheck, SubscribersReady } from '../lib/subscribers.ts';
import type { PublishCommand } from './publisher.ts';
import type { Server } from './server.ts';

/** Most subscribers in one subscriber process: well under the 20,000 open files a process may have. */
export const PER_PROCESS = 5000;
/** Subscribers connect in at least this many steps; memory per subscriber is the slope over them. */
const STEPS = 5;
/** Subscribers and a burst before the steps: code the engine compiles and buffers sized once. */
const WARM_UP = 1000;
/** Most a burst may take to reach every subscriber before what is missing counts as lost. */
const DELIVERY_LIMIT_MS = 60_000;
/** Concurrent HTTP publishers of a burst (BENCH_CLUSTER_PUBLISHERS=1 writes each update on its own). */
const PUBLISHERS = Number(process.env['BENCH_CLUSTER_PUBLISHERS'] ?? 4);
/** Pause after each step so that the server has finished taking the connections in. */
const SETTLE_MS = 500;

/** A server with its subscriber processes connected. */
export interface Setup {
  server: Server;
  subscribers: ChildProcess[];
  /** Subscribers the server took (answered 200). */
  held: number;
  /** Subscribers it refused, or whose connection failed. */
  failed: number;
  /** Bytes of RSS (all processes) per idle subscriber: the slope over the steps. */
  rssPerSubscriber: number;
  /** All the server's RSS (all processes) once every subscriber is connected, in bytes. */
  rssTotal: number;
  /** False once a burst did not reach everyone in time: the subscriber processes' answers are then out of step. */
  usable: boolean;
}

export interface BurstResult {
  updates: number;
  seconds: number;
  deliveriesPerSecond: number;
  cpuPerMillion: number;
  /** Share of the CPU spent by the first process (the hub's primary, nginx's master), 0 to 1. */
  firstProcessShare: number;
  /** CPU seconds per million deliveries of the load generator (the publisher and subscriber processes). */
  loadCpuPerMillion?: number;
  /** Publish-to-receive latency over every delivery of the burst, in ms (absent in older runs). */
  latency?: { p50: number; p99: number };
  check: SubscriberCheck;
}

let nextAddress = 2;
/** Each subscriber process connects from its own loopback address, so no address runs out of ports. */
function address(): string {
  const host = nextAddress;
  nextAddress = nextAddress >= 249 ? 2 : nextAddress + 1;
  return `127.0.0.${host}`;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
export const serverRss = (server: Server) => sum(server.pids().map(rssBytes));
/** CPU seconds of each process of the server, its primary (or master) first. */
export const serverCpu = (server: Server) => server.pids().map(cpuSeconds);

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  const mx = sum(points.map(([x]) => x)) / n;
  const my = sum(points.map(([, y]) => y)) / n;
  const sxy = sum(points.map(([x, y]) => (x - mx) * (y - my)));
  const sxx = sum(points.map(([x]) => (x - mx) ** 2));
  return sxy / sxx;
}

async function subscriberProcess(
  server: Server,
  count: number,
  from = address(),
): Promise<{ child: ChildProcess; ready: SubscribersReady }> {
  const args = [server.kind, String(server.port), String(count), from];
  const { child, first } = await start(new URL('./subscribers.ts', import.meta.url), args);
  return { child, ready: first as SubscribersReady };
}

/** Sends `command` to every child and resolves with their answers. */
const askAll = <T>(children: readonly ChildProcess[], command: unknown) =>
  Promise.all(children.map((child) => ask<T>(child, command)));

/** What a burst that did not reach everyone in time reports: nothing known. */
const OUT_OF_TIME: SubscriberCheck = {
  short: Number.NaN,
  missing: Number.NaN,
  extra: Number.NaN,
  closed: Number.NaN,
  reads: Number.NaN,
};

/** The checks of every subscriber process, added up. */
function summed(checks: readonly SubscriberCheck[]): SubscriberCheck {
  const total = (key: keyof SubscriberCheck) => sum(checks.map((c) => c[key]));
  return {
    short: total('short'),
    missing: total('missing'),
    extra: total('extra'),
    closed: total('closed'),
    reads: total('reads'),
  };
}

/** Publishes `updates` from the publisher process and waits until every subscriber has them all (or the limit). */
export async function burst(
  setup: Setup,
  publisher: ChildProcess,
  token: string,
  updates: number,
): Promise<BurstResult> {
  const { server, subscribers } = setup;
  await askAll(subscribers, { cmd: 'reset' });
  const cpuBefore = serverCpu(server);
  const load = [publisher, ...subscribers].map((child) => child.pid!);
  const loadBefore = sum(load.map(cpuSeconds));
  const started = performance.now();
  const command: PublishCommand = {
    kind: server.kind,
    port: server.port,
    token,
    updates,
    concurrency: PUBLISHERS,
  };
  const published = await ask<{ published?: number; error?: string }>(publisher, command);
  if (published.error !== undefined) throw new Error(`${server.kind}: ${published.error}`);
  const everyone = askAll(subscribers, { cmd: 'wait', perSubscriber: updates }).then(() => true);
  const inTime = await Promise.race([everyone, sleep(DELIVERY_LIMIT_MS).then(() => false)]);
  const seconds = (performance.now() - started) / 1000;
  const byProcess = serverCpu(server).map((now, i) => now - (cpuBefore[i] ?? 0));
  const cpu = sum(byProcess);
  const loadCpu = sum(load.map(cpuSeconds)) - loadBefore;
  if (!inTime) setup.usable = false;
  const check = inTime
    ? summed(await askAll<SubscriberCheck>(subscribers, { cmd: 'check', perSubscriber: updates }))
    : OUT_OF_TIME;
  const deliveries = updates * setup.held;
  const histogram = createHistogram();
  if (inTime)
    for (const reply of await askAll<{ histogram: number[] }>(subscribers, { cmd: 'latency' }))
      merge(histogram, reply.histogram);
  return {
    updates,
    seconds,
    deliveriesPerSecond: deliveries / seconds,
    cpuPerMillion: (cpu / deliveries) * 1e6,
    firstProcessShare: (byProcess[0] ?? 0) / cpu,
    loadCpuPerMillion: (loadCpu / deliveries) * 1e6,
    latency: { p50: percentile(histogram, 0.5), p99: percentile(histogram, 0.99) },
    check,
  };
}

/** Warms the server up with WARM_UP subscribers and a burst to them; they leave before the steps. */
async function warmUp(server: Server, publisher: ChildProcess, token: string): Promise<void> {
  const { child, ready } = await subscriberProcess(server, WARM_UP, '127.0.0.250');
  const setup: Setup = {
    server,
    subscribers: [child],
    held: ready.ready,
    failed: 0,
    rssPerSubscriber: 0,
    rssTotal: 0,
    usable: true,
  };
  await burst(setup, publisher, token, 20);
  child.kill();
  await sleep(SETTLE_MS);
}

/**
 * Connects `size` subscribers in steps of one subscriber process each, measuring the server's memory
 * after each, until all are connected, a step is refused, or `deadline` (ms since the epoch) has passed.
 */
export async function setUp(
  server: Server,
  size: number,
  publisher: ChildProcess,
  token: string,
  deadline = Number.POSITIVE_INFINITY,
): Promise<Setup> {
  await warmUp(server, publisher, token);
  const perProcess = Math.min(PER_PROCESS, Math.ceil(size / STEPS));
  // Memory after each step; the first point is taken with the first subscribers in, as bench/hub does.
  const points: [number, number][] = [];
  const setup: Setup = {
    server,
    subscribers: [],
    held: 0,
    failed: 0,
    rssPerSubscriber: 0,
    rssTotal: 0,
    usable: true,
  };
  while (setup.held < size && setup.failed === 0 && Date.now() < deadline) {
    const { child, ready } = await subscriberProcess(server, Math.min(perProcess, size - setup.held));
    setup.subscribers.push(child);
    setup.held += ready.ready;
    setup.failed += ready.failed;
    await sleep(SETTLE_MS);
    server.collectGarbage();
    await sleep(SETTLE_MS);
    points.push([setup.held, serverRss(server)]);
  }
  setup.rssPerSubscriber = slope(points);
  setup.rssTotal = points.at(-1)![1];
  return setup;
}

export async function tearDown(setup: Setup): Promise<void> {
  for (const child of setup.subscribers) child.kill();
  await setup.server.stop();
}
