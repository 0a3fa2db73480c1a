/**
 * Fan-out benchmark: N subscribers (1,000 and 10,000) on one channel, a
 * publisher broadcasting ~200 B events. Spout's Channel, better-sse's Channel
 * and a minimal hand-written node:http broadcaster, side by side in one run.
 *
 * Each broadcaster runs in its own child process; subscribers are raw sockets
 * in other child processes (2,500 each, own loopback source address), so
 * file-descriptor limits and client CPU do not touch the server's figures.
 * Server CPU is utime+stime from /proc/<pid>/stat.
 *
 * Run: npm run bench -- fanout   (FANOUT_SIZES=1000 for a quick run)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { ask as askChild, withTimeout } from '../lib/children.ts';
import { count, createHistogram, merge, percentile } from '../lib/histogram.ts';
import { cpuSeconds } from '../lib/proc.ts';
import { machineLine, publish } from '../lib/report.ts';
import type { SubscriberCommand } from '../lib/subscribers.ts';
import { type FanoutRun, type Result, renderReport } from './report.ts';
import type { ServerCommand } from './server.ts';
import { BROADCASTERS, type BroadcasterName } from './servers.ts';

const here = import.meta.dirname;
const SIZES = (process.env.FANOUT_SIZES ?? '1000,10000').split(',').map(Number);
const EVENT_SIZE = 200;
const PER_PROCESS = 2500;

/** Sends a command (type-checked) to a child and resolves with its next message. */
const ask = <T>(child: ChildProcess, command: ServerCommand | SubscriberCommand): Promise<T> =>
  askChild<T>(child, command);

let nextAddress = 2;
async function startSubscribers(port: number, total: number): Promise<ChildProcess[]> {
  const children: ChildProcess[] = [];
  for (let left = total; left > 0; left -= PER_PROCESS) {
    const child = fork(join(here, 'subscribers.ts'), [
      String(port),
      String(Math.min(PER_PROCESS, left)),
      `127.0.0.${nextAddress++}`,
    ]);
    children.push(child);
  }
  await withTimeout(Promise.all(children.map((child) => once(child, 'message'))));
  return children;
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map((child) => {
      const exited = once(child, 'exit');
      child.kill();
      return exited;
    }),
  );
}

async function measure(name: BroadcasterName, subscribers: number): Promise<Result> {
  const server = fork(join(here, 'server.ts'), [name], { execArgv: ['--expose-gc'] });
  const [{ port }] = (await once(server, 'message')) as [{ port: number }];
  const pid = server.pid!;
  try {
    // Warm up the server's code paths, then take the idle baseline without subscribers.
    const warm = await startSubscribers(port, 200);
    await ask(server, { cmd: 'burst', events: 200, perTick: 10, size: EVENT_SIZE });
    await Promise.all(warm.map((child) => ask(child, { cmd: 'wait', perSubscriber: 200 })));
    await stop(warm);
    const base = await ask<{ rss: number }>(server, { cmd: 'memory' });

    const clients = await startSubscribers(port, subscribers);
    const idle = await ask<{ rss: number; subscribers: number }>(server, { cmd: 'memory' });
    if (idle.subscribers !== subscribers)
      throw new Error(`${name}: ${idle.subscribers} of ${subscribers} joined`);
    const bytesPerConnection = (idle.rss - base.rss) / subscribers;

    const all = (command: SubscriberCommand) => Promise.all(clients.map((child) => ask(child, command)));
    // Burst: events published 10 per event-loop turn, as fast as the server goes.
    const burstEvents = Math.max(100, Math.round(1_000_000 / subscribers));
    await all({ cmd: 'reset' });
    let cpu = cpuSeconds(pid);
    let start = performance.now();
    await ask(server, { cmd: 'burst', events: burstEvents, perTick: 10, size: EVENT_SIZE });
    await all({ cmd: 'wait', perSubscriber: burstEvents });
    const burstSeconds = (performance.now() - start) / 1000;
    const burstCpu = cpuSeconds(pid) - cpu;
    const deliveries = burstEvents * subscribers;

    // Steady: one event at a time, spaced out, for latency.
    const steadyEvents = 40;
    await all({ cmd: 'reset' });
    cpu = cpuSeconds(pid);
    start = performance.now();
    await ask(server, {
      cmd: 'steady',
      events: steadyEvents,
      intervalMs: subscribers > 2000 ? 100 : 25,
      size: EVENT_SIZE,
    });
    await all({ cmd: 'wait', perSubscriber: steadyEvents });
    const steadyCpu = cpuSeconds(pid) - cpu;
    const histogram = createHistogram();
    for (const reply of await all({ cmd: 'latency' }))
      merge(histogram, (reply as { histogram: number[] }).histogram);
    await stop(clients);
    return {
      name,
      subscribers,
      bytesPerConnection,
      burst: { deliveriesPerSecond: deliveries / burstSeconds, cpuPerMillion: (burstCpu / deliveries) * 1e6 },
      steady: {
        p50: percentile(histogram, 0.5),
        p99: percentile(histogram, 0.99),
        cpuPerMillion: (steadyCpu / (steadyEvents * subscribers)) * 1e6,
        samples: count(histogram),
      },
    };
  } finally {
    server.kill();
  }
}

/**
 * The cost of coalescing alone: with 10 subscribers the fan-out itself takes
 * microseconds, so the publish-to-receive latency shows the wait for the end
 * of the event-loop turn.
 */
async function probeLatency(name: BroadcasterName): Promise<{ p50: number; p99: number }> {
  const server = fork(join(here, 'server.ts'), [name], { execArgv: ['--expose-gc'] });
  const [{ port }] = (await once(server, 'message')) as [{ port: number }];
  try {
    const clients = await startSubscribers(port, 10);
    const events = 300;
    await ask(server, { cmd: 'steady', events: 50, intervalMs: 2, size: EVENT_SIZE }); // warm-up
    await ask(clients[0]!, { cmd: 'wait', perSubscriber: 50 });
    await ask(clients[0]!, { cmd: 'reset' });
    await ask(server, { cmd: 'steady', events, intervalMs: 5, size: EVENT_SIZE });
    await ask(clients[0]!, { cmd: 'wait', perSubscriber: events });
    const { histogram } = await ask<{ histogram: number[] }>(clients[0]!, { cmd: 'latency' });
    await stop(clients);
    return { p50: percentile(histogram, 0.5), p99: percentile(histogram, 0.99) };
  } finally {
    server.kill();
  }
}

/** Measures every broadcaster, or re-renders a saved run (FANOUT_RESULTS=<file with the printed JSON>). */
async function run(): Promise<FanoutRun> {
  if (process.env.FANOUT_RESULTS)
    return JSON.parse(readFileSync(process.env.FANOUT_RESULTS, 'utf8')) as FanoutRun;
  const loadBefore = loadavg()[0]!;
  const results: Result[] = [];
  for (const subscribers of SIZES) {
    for (const name of Object.keys(BROADCASTERS) as BroadcasterName[]) {
      console.error(`fanout: ${name} with ${subscribers} subscribers...`);
      results.push(await measure(name, subscribers));
    }
  }
  const probes: FanoutRun['probes'] = [];
  for (const name of Object.keys(BROADCASTERS) as BroadcasterName[]) {
    console.error(`fanout: ${name}, latency with 10 subscribers...`);
    probes.push([name, await probeLatency(name)]);
  }
  return { machine: machineLine(), loadBefore, loadAfter: loadavg()[0]!, results, probes };
}

const measured = await run();
console.log(JSON.stringify(measured));
publish('fanout', renderReport(readFileSync(join(here, 'method.md'), 'utf8'), measured));
