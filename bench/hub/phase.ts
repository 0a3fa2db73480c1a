/**
 * One measured phase of the hub benchmark: publish over HTTP for a while, wait until every
 * subscriber has received everything, and work out rates, latency and CPU per delivery.
 */
import type { ChildProcess } from 'node:child_process';
import { ask, sleep } from '../lib/children.ts';
import { createHistogram, merge, percentile } from '../lib/histogram.ts';
import { payload, topicOf } from './workload.ts';

export const PHASE_MS = 2000;
export const BATCH = 50;

/** `single` and `batch` publish flat out from 4 publishers; `paced` from one, about 50 updates/s. */
export type Mode = 'single' | 'batch' | 'paced';

/** What the server process reports: its CPU time (all threads) and memory after a full GC. */
export interface Stats {
  cpuSeconds: number;
  rss: number;
  heapUsed: number;
  /** Calls of socket.write so far (event writes to subscribers). */
  socketWrites: number;
}

/** A server under test and the subscribers connected to it. */
export interface Target {
  kind: 'hub' | 'channel';
  port: number;
  token: string;
  server: ChildProcess;
  subscribers: ChildProcess[];
}

export interface PhaseResult {
  publishesPerSecond: number;
  deliveriesPerSecond: number;
  p50: number;
  p99: number;
  cpuPerMillion: number;
  /** CPU µs per update published: what each update costs the server whatever its subscribers. */
  cpuPerUpdate: number;
  /** Socket writes per 1,000 deliveries: 1,000 when every update is written alone. */
  writesPerThousand: number;
}

function request(target: Target, mode: Mode, sequence: number): Promise<Response> {
  const hub = target.kind === 'hub';
  const url = `http://127.0.0.1:${target.port}${hub ? '/.well-known/mercure' : '/publish'}`;
  const headers: Record<string, string> = { authorization: `Bearer ${target.token}` };
  let body: string;
  if (mode === 'batch') {
    headers['content-type'] = 'application/json';
    const items = Array.from({ length: BATCH }, (_, k) => sequence + k);
    body = JSON.stringify(
      hub ? items.map((s) => ({ topic: topicOf(s), data: payload(s) })) : items.map(payload),
    );
  } else if (hub) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams({ topic: topicOf(sequence), data: payload(sequence) }).toString();
  } else body = payload(sequence);
  return fetch(url, { method: 'POST', headers, body });
}

/** Publishes for PHASE_MS; returns how many updates were accepted. */
async function publishFor(target: Target, mode: Mode): Promise<number> {
  let sequence = 0;
  const deadline = Date.now() + PHASE_MS;
  const perRequest = mode === 'batch' ? BATCH : 1;
  const loop = async (): Promise<void> => {
    while (Date.now() < deadline) {
      const res = await request(target, mode, sequence);
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

/** Runs one phase against `target`. */
export async function runPhase(target: Target, mode: Mode): Promise<PhaseResult> {
  const { server, subscribers } = target;
  await Promise.all(subscribers.map((s) => ask(s, { cmd: 'reset' })));
  const before = await ask<Stats>(server, 'stats');
  const started = Date.now();
  const published = await publishFor(target, mode);
  const { total, at } = await drain(subscribers);
  const after = await ask<Stats>(server, 'stats');
  const histogram = createHistogram();
  for (const s of subscribers) {
    merge(histogram, (await ask<{ histogram: number[] }>(s, { cmd: 'latency' })).histogram);
  }
  return {
    publishesPerSecond: published / (PHASE_MS / 1000),
    deliveriesPerSecond: total / ((at - started) / 1000),
    p50: percentile(histogram, 0.5),
    p99: percentile(histogram, 0.99),
    cpuPerMillion: ((after.cpuSeconds - before.cpuSeconds) / total) * 1e6,
    cpuPerUpdate: ((after.cpuSeconds - before.cpuSeconds) / published) * 1e6,
    writesPerThousand: ((after.socketWrites - before.socketWrites) / total) * 1000,
  };
}
