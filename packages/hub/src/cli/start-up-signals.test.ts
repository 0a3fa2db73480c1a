import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StopSignal } from '../hub/stop-signal.ts';
import { run } from '../testing/run-cli.ts';
import { hubCommand } from './hub-command.ts';

const SECRET = 'start-up-signal-secret-0123456789abcdef';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function startHubProcess(port: number) {
  const dbPath = join(mkdtempSync(join(tmpdir(), 'spout-signal-')), 'hub.db');
  return run(['hub', '--port', String(port), '--db-path', dbPath], { SPOUT_JWT_KEY: SECRET });
}

describe('spout hub and a stop signal during start-up', () => {
  it('SIGTERM the moment the port accepts connections (start-up not finished) ends in exit 0', async () => {
    const port = await freePort();
    const child = startHubProcess(port);
    while (!(await accepts(port))) await sleep(2);
    child.process.kill('SIGTERM');
    assert.deepEqual(await child.exited, { code: 0, signal: null }, child.stderr);
  });

  it('a stop signal received before start-up ends is answered by a graceful shutdown once the hub is up', async () => {
    const stop: StopSignal = { received: Promise.resolve('SIGTERM') };
    const argv = [
      '--jwt-key',
      SECRET,
      '--port',
      '0',
      '--store',
      'memory',
      '--no-ui',
      '--log-level',
      'silent',
    ];
    const code = await hubCommand(argv, stop);
    assert.equal(code, 0);
  });
});
