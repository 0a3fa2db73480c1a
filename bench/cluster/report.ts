/** Renders a cluster benchmark run as markdown: the tables, then the issue's targets checked. */
import { markdownTable, median } from '../lib/report.ts';
import type { BurstResult } from './measure.ts';
import type { ServerKind } from './server.ts';

/** One server of a group: its subscribers, memory and bursts. */
export interface ServerResult {
  kind: ServerKind;
  workers: number;
  held: number;
  failed: number;
  rssPerSubscriber: number;
  rssTotal: number;
  bursts: BurstResult[];
}

/** Servers measured side by side at one subscriber count. */
export interface GroupResult {
  name: string;
  size: number;
  updates: number;
  loadBefore: string;
  loadAfter: string;
  servers: ServerResult[];
}

/** The most idle subscribers one server held, and the broadcast to them. */
export interface MostResult extends ServerResult {
  target: number;
  connectSeconds: number;
  /** Why it stopped short of the target: '' (it did not), 'refused' or 'time limit'. */
  stopped: string;
  loadBefore: string;
}

export interface ClusterRun {
  machine: string;
  /** Cores of the machine (absent in runs before 2026-12-07 evening). */
  cores?: number;
  uptimeBefore: string;
  uptimeAfter: string;
  nchan: string;
  repeats: number;
  perProcess: number;
  groups: GroupResult[];
  most: MostResult[];
}

const LABELS: Record<ServerKind, string> = { hub: 'spout hub (memory store)', nchan: 'nginx + nchan' };
const whole = (value: number) => Math.round(value).toLocaleString('en');
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const sumOf = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** Deliveries missing (or extra) over all bursts; NaN when a burst ran out of time. */
function lost(result: ServerResult): string {
  const missing = sumOf(result.bursts.map((b) => b.check.missing));
  const extra = sumOf(result.bursts.map((b) => b.check.extra));
  const closed = Math.max(0, ...result.bursts.map((b) => b.check.closed));
  if (Number.isNaN(missing)) return 'not all in 60 s';
  return `${whole(missing)}${extra > 0 ? ` (+${whole(extra)} extra)` : ''}${closed > 0 ? `, ${closed} closed` : ''}`;
}

/** The load generator's CPU per million deliveries (runs before it was measured have none). */
function medianLoadCpu(result: ServerResult): number | undefined {
  const load = result.bursts.map((b) => b.loadCpuPerMillion);
  return load.every((value) => value !== undefined) ? median(load as number[]) : undefined;
}

/** Publish-to-receive latency of the deliveries of a burst, medians over the bursts (older runs have none). */
function burstLatency(result: ServerResult): string {
  const latencies = result.bursts.map((b) => b.latency);
  if (latencies.some((latency) => latency === undefined)) return '';
  const of = (pick: (latency: { p50: number; p99: number }) => number) =>
    median(latencies.map((latency) => pick(latency!))).toFixed(0);
  return `${of((l) => l.p50)} / ${of((l) => l.p99)}`;
}

const range = (values: readonly number[], digits: number) =>
  `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;

function groupTable(group: GroupResult): string {
  const rows = group.servers.map((s) => {
    const rates = s.bursts.map((b) => b.deliveriesPerSecond);
    const cpu = s.bursts.map((b) => b.cpuPerMillion);
    return [
      LABELS[s.kind],
      String(s.workers),
      whole(s.held) + (s.failed > 0 ? ` (${whole(s.failed)} refused)` : ''),
      `${whole(median(rates))} (${range(
        rates.map((r) => r / 1000),
        0,
      )} k)`,
      `${median(cpu).toFixed(3)} (${range(cpu, 2)})`,
      s.workers > 1 ? `${(median(s.bursts.map((b) => b.firstProcessShare)) * 100).toFixed(0)} %` : '',
      median(s.bursts.map((b) => (b.check.reads / (b.updates * s.held)) * 1000)).toFixed(0),
      medianLoadCpu(s)?.toFixed(3) ?? '',
      burstLatency(s),
      kib(s.rssPerSubscriber),
      (s.rssTotal / 2 ** 20).toFixed(0),
      lost(s),
    ];
  });
  return markdownTable(
    [
      'server',
      'workers',
      'subscribers',
      'deliveries/s, median (runs)',
      'CPU s / 1M deliveries, median (runs)',
      'CPU share of the primary / master',
      'subscriber reads / 1,000 deliveries',
      'load generator CPU s / 1M deliveries, median',
      'latency in a burst, p50 / p99 ms, median',
      'KiB RSS / idle subscriber',
      'MiB RSS, all processes',
      'deliveries lost',
    ],
    rows,
  );
}

/** Run by run ratios of a figure, `of` against `to` (the bursts took turns, so run i of each is close in time). */
function ratios(of: ServerResult, to: ServerResult, figure: (b: BurstResult) => number): number[] {
  const n = Math.min(of.bursts.length, to.bursts.length);
  return Array.from({ length: n }, (_, i) => figure(of.bursts[i]!) / figure(to.bursts[i]!));
}

/**
 * The most 2 workers could deliver against 1 on this machine, from the CPU each delivery cost the server and the
 * load generator, all sharing `cores`: one worker runs on one core at most; together they share every core.
 */
function ceiling(one: ServerResult, two: ServerResult, cores: number): number | undefined {
  const figures = (s: ServerResult) => {
    const load = medianLoadCpu(s);
    return load === undefined ? undefined : { server: median(s.bursts.map((b) => b.cpuPerMillion)), load };
  };
  const a = figures(one);
  const b = figures(two);
  if (a === undefined || b === undefined) return undefined;
  const single = Math.min(1 / a.server, cores / (a.server + a.load));
  return Math.min(2 / b.server, cores / (b.server + b.load)) / single;
}

function targetLines(group: GroupResult, cores: number | undefined): string[] {
  const find = (kind: ServerKind, workers: number) =>
    group.servers.find((s) => s.kind === kind && s.workers === workers);
  const lines: string[] = [];
  for (const kind of ['hub', 'nchan'] as const) {
    const one = find(kind, 1);
    const two = find(kind, 2);
    if (one === undefined || two === undefined || one.bursts.length === 0 || two.bursts.length === 0)
      continue;
    const speed = ratios(two, one, (b) => b.deliveriesPerSecond);
    const cpu = ratios(two, one, (b) => b.cpuPerMillion);
    const speedMet = median(speed) >= 1.5 ? 'met' : 'not met';
    const cpuMet = median(cpu) <= 1.1 ? 'met' : 'not met';
    const target = kind === 'hub' ? ` (target ≥ 1.5×: ${speedMet})` : '';
    const cpuTarget = kind === 'hub' ? ` (target ≤ 1.1×: ${cpuMet})` : '';
    lines.push(
      `- ${LABELS[kind]}, 2 workers ÷ 1: deliveries/s ${median(speed).toFixed(2)}× (runs ${range(speed, 2)})${target}; ` +
        `CPU per delivery ${median(cpu).toFixed(2)}× (runs ${range(cpu, 2)})${cpuTarget}`,
    );
    const most = cores === undefined ? undefined : ceiling(one, two, cores);
    if (most !== undefined)
      lines.push(
        `  - the most ${LABELS[kind]} with 2 workers could deliver against 1 here, given these CPU figures (server and ` +
          `load generator) on ${cores} cores: ${most.toFixed(2)}×`,
      );
  }
  return lines;
}

function mostTable(results: readonly MostResult[]): string {
  const rows = results.map((m) => {
    const broadcast = m.bursts[0]!;
    return [
      LABELS[m.kind],
      String(m.workers),
      whole(m.target),
      whole(m.held) +
        (m.stopped === ''
          ? ''
          : ` (stopped: ${m.stopped}${m.failed > 0 ? `, ${whole(m.failed)} refused` : ''})`),
      m.connectSeconds.toFixed(0),
      kib(m.rssPerSubscriber),
      kib(m.rssTotal / m.held),
      `${broadcast.updates} updates to all in ${broadcast.seconds.toFixed(2)} s`,
      lost(m),
    ];
  });
  return markdownTable(
    [
      'server',
      'workers',
      'subscribers asked',
      'held',
      'connecting s',
      'KiB RSS / idle subscriber (slope)',
      'KiB RSS / subscriber (all RSS ÷ held)',
      'broadcast',
      'deliveries lost',
    ],
    rows,
  );
}

/** The whole page: the method text, each group's table and the targets, then how to read them. */
export function renderReport(method: string, reading: string, run: ClusterRun): string {
  const parts = [
    method.trim(),
    '',
    `## Results`,
    '',
    `Measured ${run.machine}; nchan: ${run.nchan}.`,
    `Load at the start: \`${run.uptimeBefore}\`; at the end: \`${run.uptimeAfter}\`.`,
  ];
  for (const group of run.groups) {
    parts.push(
      '',
      `### ${group.name}, ${whole(group.size)} subscribers (${group.updates} updates per burst, ${run.repeats} bursts each)`,
      '',
      `Load before: \`${group.loadBefore}\`; after: \`${group.loadAfter}\`.`,
      '',
      groupTable(group),
    );
    const targets = targetLines(group, run.cores);
    if (targets.length > 0) parts.push('', ...targets);
  }
  if (run.most.length > 0) {
    parts.push(
      '',
      '### Most idle subscribers',
      '',
      `Load before: \`${run.most[0]!.loadBefore}\`.`,
      '',
      mostTable(run.most),
    );
  }
  parts.push('', reading.trim());
  return parts.join('\n');
}
