/**
 * A `spout hub --workers N` child process for tests: started on a free port, its workers' pids read
 * from its log, stopped by SIGTERM.
 */

import { mintToken } from '../../auth/index.ts';
import { freshPrefix } from '../../store/testing/redis-fixture.ts';
import { type Child, run, waitForLine } from '../../testing/run-cli.ts';
import { TEST_SECRET } from '../../testing/test-hub.ts';

/** A running multi-process hub. */
export interface WorkerHub {
  child: Child;
  hubUrl: string;
  /** The process ids of the workers listening now (a replaced one appears once it listens). */
  workerPids(): number[];
  /** Worker pid of each `subscriber connected` log line, in order. */
  subscriberWorkers(): number[];
  publisherToken(): Promise<string>;
  /** SIGTERM, then the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const parse = (line: string): Record<string, unknown> | undefined => {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};

/** The arguments of a hub on the Redis at `url`, with a key prefix of its own. */
export function redisStoreArgs(url: string): string[] {
  return ['--store', 'redis', '--redis-url', url, '--redis-key-prefix', freshPrefix()];
}

/** Starts `spout hub` with `workers` workers, anonymous subscribers, debug logs and `args`. */
export async function startWorkerHub(workers: number, args: string[] = []): Promise<WorkerHub> {
  const child = run([
    'hub',
    '--workers',
    String(workers),
    '--port',
    '0',
    '--jwt-key',
    TEST_SECRET,
    '--anonymous',
    '--no-ui',
    '--log-level',
    'debug',
    '--shutdown-timeout',
    '2s',
    ...args,
  ]);
  const ready = await waitForLine(child, (line) => line.includes('hub listening with every worker'), 30_000);
  const hubUrl = String(parse(ready)?.['url']);
  const logs = () => child.stdout.map(parse).filter((entry) => entry !== undefined);
  const exited = new Set<number>();
  return {
    child,
    hubUrl,
    workerPids: () => {
      const listening = logs().filter(
        (entry) => entry['msg'] === 'hub listening' && entry['worker'] !== undefined,
      );
      return listening.map((entry) => Number(entry['pid'])).filter((pid) => !exited.has(pid) && alive(pid));
    },
    subscriberWorkers: () =>
      logs()
        .filter((entry) => entry['msg'] === 'subscriber connected')
        .map((entry) => Number(entry['pid'])),
    publisherToken: () => mintToken({ secret: TEST_SECRET, publish: ['*'], subscribe: ['*'] }),
    async stop() {
      if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGTERM');
      return child.exited;
    },
  };
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export { eventually } from '../../testing/eventually.ts';
