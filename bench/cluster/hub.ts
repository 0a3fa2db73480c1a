/**
 * `spout hub --workers N` started as a user starts it, through the CLI of the repo, on a free port and
 * the memory store. Its processes are the primary (the child spawned here) and the workers, whose
 * pids come from their `hub listening` log lines; with `--workers 1` the hub is one process, no cluster.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sleep, withTimeout } from '../lib/children.ts';
import { type Server, stopOnExit } from './server.ts';

export const BENCH_SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';
const CLI = fileURLToPath(new URL('../../packages/hub/src/cli.ts', import.meta.url));

interface LogLine {
  msg?: string;
  pid?: number;
  worker?: number;
  url?: string;
  level?: number;
}

function hubArgs(workers: number): string[] {
  return [
    '--conditions=spout-source',
    CLI,
    'hub',
    ...['--workers', String(workers), '--store', 'memory', '--port', '0', '--jwt-key', BENCH_SECRET],
    ...['--anonymous', '--no-ui', '--max-subscribers', '200000', '--max-subscribers-per-address', '200000'],
  ];
}

/** Reads the hub's JSON log: worker pids as they listen (a replaced worker adds one), and warnings. */
function followLog(child: ChildProcess, workerPids: Map<number, number>): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    lines.on('line', (text) => {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        console.error(`hub: ${text}`);
        return;
      }
      if (line.msg === 'hub listening' && line.worker !== undefined && line.pid !== undefined) {
        workerPids.set(line.worker, line.pid);
      } else if (line.msg === 'hub listening' && line.url !== undefined) {
        resolve(line.url); // --workers 1: one process, no cluster, nothing but this line
      } else if (line.msg === 'hub listening with every worker' && line.url !== undefined) {
        resolve(line.url);
      } else if ((line.level ?? 0) >= 40) console.error(`hub: ${line.msg ?? text}`);
    });
    child.once('exit', (code) => reject(new Error(`spout hub exited with ${code}`)));
  });
}

/** Starts `spout hub --workers <workers> --store memory` and resolves once every worker listens. */
export async function startHub(workers: number): Promise<Server> {
  const gcHook = `--import=${fileURLToPath(new URL('./gc-on-signal.ts', import.meta.url))}`;
  const env = {
    ...process.env,
    NODE_OPTIONS: [process.env['NODE_OPTIONS'], gcHook].filter(Boolean).join(' '),
  };
  const child = spawn(process.execPath, hubArgs(workers), { stdio: ['ignore', 'pipe', 'inherit'], env });
  stopOnExit(child);
  const workerPids = new Map<number, number>();
  const url = await withTimeout(followLog(child, workerPids));
  // Each worker writes its own log line: the primary's may come before the last of them.
  for (let tries = 0; workers > 1 && workerPids.size < workers && tries < 50; tries++) await sleep(100);
  if (workers > 1 && workerPids.size !== workers)
    throw new Error(`${workerPids.size} of ${workers} workers listening`);
  const port = Number(new URL(url).port);
  const pids = () => [child.pid!, ...workerPids.values()];
  return {
    kind: 'hub',
    workers,
    port,
    pids,
    collectGarbage() {
      for (const pid of pids()) process.kill(pid, 'SIGUSR2');
    },
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await withTimeout(exited);
    },
  };
}
