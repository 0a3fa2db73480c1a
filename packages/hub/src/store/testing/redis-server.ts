import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A redis-server started for one test: on a free loopback port, data in a temporary directory. */
export interface TestRedisServer {
  url: string;
  port: number;
  dir: string;
  /** SIGKILLs the server (no shutdown save) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port and directory (after `kill`), with `extraArgs` added to its arguments. */
  restart(extraArgs?: string[]): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Extra redis-server arguments, e.g. ['--appendonly', 'yes', '--appendfsync', 'always']. */
export async function startRedisServer(args: string[] = []): Promise<TestRedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'spout-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const launch = (extraArgs: string[] = []) => launchRedis(port, dir, [...args, ...extraArgs]);
    try {
      let child = await launch();
      const server: TestRedisServer = {
        url: `redis://127.0.0.1:${port}`,
        port,
        dir,
        kill: () => killAndWait(child, 'SIGKILL'),
        restart: async (extraArgs) => {
          child = await launch(extraArgs);
        },
        stop: async () => {
          await killAndWait(child, 'SIGTERM');
          await rm(dir, { recursive: true, force: true });
        },
      };
      return server;
    } catch (error) {
      // Another process may have taken the port between our probe and redis-server binding it.
      if (attempt === 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}

function launchRedis(port: number, dir: string, args: string[]): Promise<ChildProcess> {
  return spawnUntilReady('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    ...args,
  ]);
}

/**
 * Starts `command` (redis-server or redis-sentinel) and resolves once its log says `ready`
 * (a sentinel never logs redis-server's line: it is ready once it monitors its master).
 */
export function spawnUntilReady(
  command: string,
  args: string[],
  ready = 'Ready to accept connections',
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) {
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) =>
      reject(new Error(`cannot start ${command} (apt-get install ${command}): ${error.message}`)),
    );
    child.once('exit', (code) =>
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output}`)),
    );
  });
}

/** Sends `signal` and waits for the process to exit (at once when it already has). */
export function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
