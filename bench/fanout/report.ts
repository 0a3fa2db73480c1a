/** Renders a fan-out run as markdown, with the targets checked against the hand-written broadcaster. */
import { markdownTable } from '../lib/report.ts';
import type { BroadcasterName } from './servers.ts';

/** One broadcaster at one subscriber count. */
export interface Result {
  name: BroadcasterName;
  subscribers: number;
  bytesPerConnection: number;
  burst: { deliveriesPerSecond: number; cpuPerMillion: number };
  steady: { p50: number; p99: number; cpuPerMillion: number; samples: number };
}

/** Everything one run measured. */
export interface FanoutRun {
  machine: string;
  loadBefore: number;
  loadAfter: number;
  results: Result[];
  probes: [BroadcasterName, { p50: number; p99: number }][];
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

function resultsTable(results: readonly Result[]): string {
  return markdownTable(
    [
      'broadcaster',
      'subscribers',
      'KiB per idle connection',
      'burst deliveries/s',
      'burst CPU s per 1M deliveries',
      'steady latency p50 / p99 (ms)',
      'steady CPU s per 1M deliveries',
    ],
    results.map((r) => [
      r.name,
      r.subscribers.toLocaleString('en-US'),
      fixed(r.bytesPerConnection / 1024),
      Math.round(r.burst.deliveriesPerSecond).toLocaleString('en-US'),
      fixed(r.burst.cpuPerMillion, 2),
      `${fixed(r.steady.p50, 2)} / ${fixed(r.steady.p99, 2)}`,
      fixed(r.steady.cpuPerMillion, 2),
    ]),
  );
}

/** Spout against the targets, at each subscriber count measured. */
function targetsTable(run: FanoutRun): string {
  const rows: string[][] = [];
  for (const spout of run.results.filter((r) => r.name === 'spout')) {
    const hand = run.results.find((r) => r.name === 'hand-written' && r.subscribers === spout.subscribers);
    if (hand === undefined) continue;
    const kib = spout.bytesPerConnection / 1024;
    const ratio = spout.burst.cpuPerMillion / hand.burst.cpuPerMillion;
    rows.push([
      spout.subscribers.toLocaleString('en-US'),
      `${fixed(kib)} KiB (hand-written ${fixed(hand.bytesPerConnection / 1024)}): ${kib <= 8 ? 'met' : 'missed'}`,
      `${fixed(ratio * 100, 0)} % of hand-written: ${ratio <= 0.5 ? 'met' : 'missed'}`,
    ]);
  }
  const spoutProbe = run.probes.find(([name]) => name === 'spout')?.[1];
  const handProbe = run.probes.find(([name]) => name === 'hand-written')?.[1];
  const added = spoutProbe && handProbe ? spoutProbe.p50 - handProbe.p50 : Number.NaN;
  const table = markdownTable(
    ['subscribers', 'memory per idle connection (target ≤ 8 KiB)', 'burst CPU per delivery (target ≤ 50 %)'],
    rows,
  );
  return `${table}\n\nLatency added by coalescing (p50, 10 subscribers, against hand-written): ${fixed(added, 2)} ms (target < 1 ms).`;
}

export function renderReport(method: string, run: FanoutRun): string {
  const probes = markdownTable(
    ['broadcaster', 'latency p50 (ms)', 'latency p99 (ms)'],
    run.probes.map(([name, probe]) => [name, fixed(probe.p50, 2), fixed(probe.p99, 2)]),
  );
  return `${method}
## Results

Measured ${run.machine}; load average ${fixed(run.loadBefore)} before the run and ${fixed(run.loadAfter)} after
(the machine is shared: CPU seconds are per process and hold up under load; latencies and rates do not).

${resultsTable(run.results)}

### Targets

${targetsTable(run)}

### The cost of coalescing: latency with 10 subscribers, one event every 5 ms

${probes}
`;
}
