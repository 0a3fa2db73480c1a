/**
 * What one update costs a server with no subscriber at all: the hub on its sqlite store, the hub
 * on its memory store, and @spout/server's Channel (with ids), each receiving batches of 50 from
 * 4 flat-out publishers. This is the per-update share of the CPU that "Reading the figures" in
 * docs/benchmarks/hub.md sets against the cost of deliveries. Prints a table; writes no file.
 * Usage: node bench/hub/per-update.ts
 */
import { mintToken } from '@spout/hub';
import { start } from '../lib/children.ts';
import { markdownTable, median } from '../lib/report.ts';
import { runPhase, type Target } from './phase.ts';
import { BENCH_SECRET } from './server.ts';

const REPEATS = 5;
const SERVERS = [
  { label: '@spout/hub, sqlite store', kind: 'hub', store: 'sqlite' },
  { label: '@spout/hub, memory store', kind: 'hub', store: 'memory' },
  { label: '@spout/server Channel, events with ids', kind: 'channel', store: '' },
] as const;

const token = await mintToken({ secret: BENCH_SECRET, publish: ['*'] });
const rows: string[][] = [];
for (const { label, kind, store } of SERVERS) {
  process.env['BENCH_HUB_STORE'] = store;
  const { child: server, first } = await start(
    new URL('./server.ts', import.meta.url),
    [kind],
    ['--expose-gc'],
  );
  const target: Target = { kind, port: (first as { port: number }).port, token, server, subscribers: [] };
  await runPhase(target, 'batch'); // warm-up
  const costs: number[] = [];
  for (let i = 0; i < REPEATS; i++) costs.push((await runPhase(target, 'batch')).cpuPerUpdate);
  rows.push([
    label,
    median(costs).toFixed(1),
    `${Math.min(...costs).toFixed(1)}–${Math.max(...costs).toFixed(1)}`,
  ]);
  server.disconnect();
  await new Promise((resolve) => server.once('exit', resolve));
}
console.log(
  markdownTable(['server (no subscribers, batches of 50)', 'CPU µs per update (median)', 'runs'], rows),
);
process.exit(0);
