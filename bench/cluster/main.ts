/**
 * Cluster benchmark: `spout hub --workers N` (memory store) against nginx + nchan with the same
 * number of worker processes, side by side in one run. The load generator runs in its own
 * processes: one publisher process (HTTP, 4 concurrent single-update publishers) and subscriber
 * processes of at most 5,000 raw sockets each, each from its own loopback address.
 *
 * - Throughput: 1 and 2 workers at 10,000 subscribers; enough workers (4) at 50,000. Each server
 *   gets bursts of about 300,000 deliveries, taking turns; deliveries/s, CPU s per million
 *   deliveries (every process of the server, from /proc) and memory per idle subscriber (RSS of
 *   every process, slope over the connection steps); each subscriber's count is checked.
 * - Most idle subscribers: the hub with 8 workers, up to 100,000 subscribers (time-bounded), then
 *   a broadcast that every one of them must receive.
 *
 * Run: npm run bench -- cluster. Environment: BENCH_CLUSTER_REPEATS (bursts per server, 3),
 * BENCH_CLUSTER_PARTS (throughput,large,max), BENCH_CLUSTER_SMALL (10000), BENCH_CLUSTER_LARGE (50000),
 * BENCH_CLUSTER_LARGE_WORKERS (4), BENCH_CLUSTER_MAX (100000), BENCH_CLUSTER_MAX_WORKERS (8),
 * BENCH_CLUSTER_MAX_SECONDS (240, for connecting), BENCH_CLUSTER_MAX_NCHAN (0; 1 also takes nchan
 * to the most), BENCH_CLUSTER_DELIVERIES (per burst, 300000), BENCH_CLUSTER_PUBLISHERS (concurrent, 4),
 * BENCH_CLUSTER_NCHAN=0 (hub only),
 * BENCH_CLUSTER_RESULTS=<file with the printed JSON> (re-render a saved run).
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@spout/hub';
import { start } from '../lib/children.ts';
import { machineLine, publish } from '../lib/report.ts';
import { BENCH_SECRET, startHub } from './hub.ts';
import { burst, PER_PROCESS, type Setup, setUp, tearDown } from './measure.ts';
import { nchanInstalled, startNchan } from './nchan.ts';
import {
  type ClusterRun,
  type GroupResult,
  type MostResult,
  renderReport,
  type ServerResult,
} from './report.ts';
import type { Server, ServerKind } from './server.ts';

const env = (name: string, fallback: number) => Number(process.env[`BENCH_CLUSTER_${name}`] ?? fallback);
const REPEATS = env('REPEATS', 3);
const PARTS = (process.env['BENCH_CLUSTER_PARTS'] ?? 'throughput,large,max').split(',');
const DELIVERIES = env('DELIVERIES', 300_000);
const WITH_NCHAN = process.env['BENCH_CLUSTER_NCHAN'] !== '0' && nchanInstalled();
const MOST_UPDATES = 3;

const token = await mintToken({ secret: BENCH_SECRET, publish: ['*'] });
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();

function startServer(kind: ServerKind, workers: number): Promise<Server> {
  return kind === 'hub' ? startHub(workers) : startNchan(workers);
}

function resultOf(setup: Setup, bursts: ServerResult['bursts']): ServerResult {
  const { server, held, failed, rssPerSubscriber, rssTotal } = setup;
  return { kind: server.kind, workers: server.workers, held, failed, rssPerSubscriber, rssTotal, bursts };
}

/** Sets every server up with `size` subscribers, then gives them bursts in turns. */
async function group(
  name: string,
  size: number,
  servers: readonly [ServerKind, number][],
  publisher: ChildProcess,
): Promise<GroupResult> {
  const loadBefore = uptime();
  const setups: Setup[] = [];
  for (const [kind, workers] of servers) {
    console.error(`cluster: ${kind} with ${workers} worker(s), connecting ${size} subscribers...`);
    setups.push(await setUp(await startServer(kind, workers), size, publisher, token));
  }
  const updates = Math.max(10, Math.round(DELIVERIES / size));
  const bursts = setups.map((): ServerResult['bursts'] => []);
  for (let i = 0; i < REPEATS; i++) {
    for (let k = 0; k < setups.length; k++) {
      const index = (i + k) % setups.length;
      const setup = setups[index]!;
      if (!setup.usable) continue;
      console.error(
        `cluster: burst ${i + 1} of ${REPEATS}, ${setup.server.kind} × ${setup.server.workers}...`,
      );
      bursts[index]!.push(await burst(setup, publisher, token, updates));
    }
  }
  for (const setup of setups) await tearDown(setup);
  return {
    name,
    size,
    updates,
    loadBefore,
    loadAfter: uptime(),
    servers: setups.map((s, i) => resultOf(s, bursts[i]!)),
  };
}

/** Connects up to `target` subscribers (time-bounded), then one broadcast every one of them must get. */
async function most(
  kind: ServerKind,
  workers: number,
  target: number,
  publisher: ChildProcess,
): Promise<MostResult> {
  console.error(`cluster: ${kind} with ${workers} workers, connecting up to ${target} subscribers...`);
  const loadBefore = uptime();
  const started = Date.now();
  const deadline = started + env('MAX_SECONDS', 240) * 1000;
  const setup = await setUp(await startServer(kind, workers), target, publisher, token, deadline);
  const connectSeconds = (Date.now() - started) / 1000;
  const broadcast = await burst(setup, publisher, token, MOST_UPDATES);
  await tearDown(setup);
  const stopped = setup.held >= target ? '' : setup.failed > 0 ? 'refused' : 'time limit';
  return { ...resultOf(setup, [broadcast]), target, connectSeconds, stopped, loadBefore };
}

async function run(): Promise<ClusterRun> {
  if (process.env['BENCH_CLUSTER_RESULTS'] !== undefined) {
    return JSON.parse(readFileSync(process.env['BENCH_CLUSTER_RESULTS'], 'utf8')) as ClusterRun;
  }
  const both = (workers: number): [ServerKind, number][] =>
    WITH_NCHAN
      ? [
          ['hub', workers],
          ['nchan', workers],
        ]
      : [['hub', workers]];
  const { child: publisher } = await start(new URL('./publisher.ts', import.meta.url), []);
  const uptimeBefore = uptime();
  const groups: GroupResult[] = [];
  const small = env('SMALL', 10_000);
  if (PARTS.includes('throughput')) {
    const servers: [ServerKind, number][] = [
      ['hub', 1],
      ['hub', 2],
    ];
    if (WITH_NCHAN) servers.push(['nchan', 1], ['nchan', 2]);
    groups.push(await group('1 and 2 workers', small, servers, publisher));
  }
  if (PARTS.includes('large')) {
    groups.push(
      await group('enough workers', env('LARGE', 50_000), both(env('LARGE_WORKERS', 4)), publisher),
    );
  }
  const mostResults: MostResult[] = [];
  if (PARTS.includes('max')) {
    const kinds =
      process.env['BENCH_CLUSTER_MAX_NCHAN'] === '1'
        ? both(env('MAX_WORKERS', 8))
        : [['hub', env('MAX_WORKERS', 8)] as [ServerKind, number]];
    for (const [kind, workers] of kinds)
      mostResults.push(await most(kind, workers, env('MAX', 100_000), publisher));
  }
  publisher.kill();
  return {
    machine: machineLine(),
    cores: cpus().length,
    uptimeBefore,
    uptimeAfter: uptime(),
    nchan: WITH_NCHAN ? nchanVersion() : 'not installed (apt-get install libnginx-mod-nchan)',
    repeats: REPEATS,
    perProcess: PER_PROCESS,
    groups,
    most: mostResults,
  };
}

function nchanVersion(): string {
  // nginx -v prints its version on stderr.
  const nginx = spawnSync('/usr/sbin/nginx', ['-v'], { encoding: 'utf8' }).stderr.trim();
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format, not a template
  const module = execFileSync('dpkg-query', ['-W', '-f', '${Version}', 'libnginx-mod-nchan'], {
    encoding: 'utf8',
  });
  return `${nginx.replace('nginx version: ', '')} with Debian's libnginx-mod-nchan ${module}`;
}

const measured = await run();
console.log(JSON.stringify(measured));
const text = (name: string) => readFileSync(join(import.meta.dirname, name), 'utf8');
publish('cluster', renderReport(text('method.md'), text('reading.md'), measured));
process.exit(0);
