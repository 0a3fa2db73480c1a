/**
 * nginx with Debian's nchan module (libnginx-mod-nchan), the comparison target: `worker_processes`
 * like the hub's workers, one channel with an EventSource subscriber location and a publisher
 * location, on a free loopback port. The config is written to a temporary folder; nginx runs in the
 * foreground (`daemon off`) as the child spawned here, its master process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep, withTimeout } from '../lib/children.ts';
import { childPids } from '../lib/proc.ts';
import { PUBLISHER_ADDRESS, type Server, stopOnExit } from './server.ts';

const MODULE = '/usr/lib/nginx/modules/ngx_nchan_module.so';
const NGINX = '/usr/sbin/nginx';
/** The per-process open-file limit of this machine: nginx (as root) could raise its own, the hub cannot. */
const OPEN_FILES = 20_000;

/** Whether nginx and the nchan module are installed (`apt-get install libnginx-mod-nchan`). */
export function nchanInstalled(): boolean {
  return existsSync(NGINX) && existsSync(MODULE);
}

function freePort(): Promise<number> {
  const probe = createServer();
  return new Promise((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** reuseport spreads connections over the workers as node:cluster's round robin does for the hub. */
function config(dir: string, port: number, workers: number): string {
  return `load_module ${MODULE};
daemon off;
user root;
worker_processes ${workers};
worker_rlimit_nofile ${OPEN_FILES};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections ${OPEN_FILES}; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'body')};
  server {
    listen 127.0.0.1:${port} reuseport;
    location = /pub { nchan_publisher; nchan_channel_id cluster; nchan_message_buffer_length 1000; }
    location = /sub { nchan_subscriber eventsource; nchan_channel_id cluster; }
  }
}
`;
}

/** Resolves once nginx answers on `port` (its workers are up), from the publisher's own address. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/none', localAddress: PUBLISHER_ADDRESS }, (res) => {
      res.resume();
      resolve(true);
    });
    req.once('error', () => resolve(false));
  });
}

/** Waits until nginx answers on `port`. */
async function answering(port: number, child: ChildProcess): Promise<void> {
  for (let tries = 0; tries < 100; tries++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    if (await answers(port)) return;
    await sleep(100);
  }
  throw new Error('nginx did not answer within 10 s');
}

/** Starts nginx with nchan and `workers` worker processes. */
export async function startNchan(workers: number): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'spout-bench-nchan-'));
  const port = await freePort();
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, config(dir, port, workers));
  const child = spawn(NGINX, ['-c', file, '-p', dir], { stdio: ['ignore', 'inherit', 'inherit'] });
  stopOnExit(child);
  await answering(port, child);
  const pid = child.pid!;
  const workerPids = childPids(pid);
  if (workerPids.length !== workers) throw new Error(`nginx has ${workerPids.length} of ${workers} workers`);
  return {
    kind: 'nchan',
    workers,
    port,
    pids: () => [pid, ...workerPids],
    collectGarbage() {}, // C: memory is freed as it goes
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM'); // fast shutdown: a graceful one waits for the open streams
      await withTimeout(exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
