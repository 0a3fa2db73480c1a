import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run, waitForLine } from '../testing/run-cli.ts';

const KEY = { SPOUT_JWT_KEY: 'cli-failure-test-secret-0123456789abcdef' };
const STACK_FRAME = /^\s+at /m;

async function busyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const lines = (text: string) => text.split('\n').filter((line) => line !== '');

describe('spout failures (process)', () => {
  it('reports a port in use in one line naming --port, without a stack trace, and exits 1', async () => {
    const { server, port } = await busyPort();
    try {
      const child = run(
        ['hub', '--host', '127.0.0.1', '--port', String(port), '--store', 'memory', '--no-ui'],
        KEY,
      );
      assert.equal((await child.exited).code, 1);
      assert.deepEqual(lines(child.stderr), [
        `spout: port ${port} on 127.0.0.1 is in use: choose another with --port (SPOUT_PORT), or stop what listens there`,
      ]);
    } finally {
      server.close();
    }
  });

  it('adds the stack trace to the one line only with SPOUT_DEBUG=1', async () => {
    const { server, port } = await busyPort();
    try {
      const args = ['hub', '--host', '127.0.0.1', '--port', String(port), '--store', 'memory', '--no-ui'];
      const child = run(args, { ...KEY, SPOUT_DEBUG: '1' });
      assert.equal((await child.exited).code, 1);
      assert.match(lines(child.stderr)[0]!, /^spout: port \d+ on 127\.0\.0\.1 is in use/);
      assert.match(child.stderr, STACK_FRAME);
    } finally {
      server.close();
    }
  });

  it('names a path it cannot use for the sqlite store, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spout-cli-failure-'));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const child = run(['hub', '--port', '0', '--no-ui', '--db-path', join(file, 'hub.db')], KEY);
    assert.equal((await child.exited).code, 1);
    const [line, ...rest] = lines(child.stderr);
    assert.deepEqual(rest, []);
    assert.ok(line!.startsWith(`spout: ${file}`), line);
    assert.doesNotMatch(child.stderr, STACK_FRAME);
  });

  it('names a missing key file by its path as a configuration error (exit 2)', async () => {
    const missing = join(tmpdir(), 'spout-no-such-dir', 'key.pem');
    const child = run(['hub', '--port', '0', '--no-ui', '--store', 'memory', '--jwt-key', `@${missing}`]);
    assert.equal((await child.exited).code, 2);
    assert.equal(lines(child.stderr).length, 1);
    assert.match(child.stderr, new RegExp(`^spout: jwtKey: cannot read ${missing}`));
  });

  it('answers an unknown command with the usage and exit code 2', async () => {
    const child = run(['hbu']);
    assert.equal((await child.exited).code, 2);
    assert.match(child.stderr, /^spout: unknown command "hbu"/);
  });

  it('names a mistyped SPOUT_ variable and its fix in the configuration error it caused', async () => {
    const child = run(['hub', '--store', 'memory'], { SPOUT_JWT_KYE: 'secret', SPOUT_JWT_KEY: '' });
    assert.equal((await child.exited).code, 2);
    assert.equal(lines(child.stderr).length, 1, child.stderr);
    assert.match(child.stderr, /jwtKey: no key verifies/);
    assert.match(
      child.stderr,
      /SPOUT_JWT_KYE is not a setting of spout hub and is ignored; did you mean SPOUT_JWT_KEY\?/,
    );
  });

  it('logs a warning naming an unknown SPOUT_ variable and the nearest setting when it starts', async () => {
    const child = run(['hub', '--port', '0', '--no-ui', '--store', 'memory'], {
      ...KEY,
      SPOUT_HEARTBAET: '5s',
    });
    try {
      const line = await waitForLine(child, (l) => l.includes('SPOUT_HEARTBAET'));
      const entry = JSON.parse(line) as { level: number; variable: string; msg: string };
      assert.equal(entry.level, 40); // pino's warn
      assert.equal(entry.variable, 'SPOUT_HEARTBAET');
      assert.match(entry.msg, /did you mean SPOUT_HEARTBEAT\?/);
      await waitForLine(child, (l) => l.includes('hub listening'));
    } finally {
      child.process.kill('SIGTERM');
      await child.exited;
    }
  });
});
