import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { mintToken } from '../auth/index.ts';
import { type Child, run, waitForLine } from '../testing/run-cli.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

const SECRET = 'cli-test-secret-0123456789abcdef0123456789';

async function startHubProcess(dbPath: string): Promise<{ child: Child; hubUrl: string }> {
  const child = run(['hub', '--port', '0', '--no-ui', '--db-path', dbPath, '--log-level', 'info'], {
    SPOUT_JWT_KEY: SECRET,
    SPOUT_ANONYMOUS: 'true',
  });
  const line = await waitForLine(child, (l) => l.includes('hub listening'));
  return { child, hubUrl: (JSON.parse(line) as { url: string }).url };
}

describe('spout hub (process)', () => {
  it('an accepted update survives SIGKILL: it is on disk before the 200 is sent', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'spout-cli-')), 'hub.db');
    const first = await startHubProcess(dbPath);
    const token = await mintToken({ secret: SECRET, publish: ['*'] });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(first.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `topic=https://e.com/durable&data=${i}`,
      });
      assert.equal(res.status, 200);
      ids.push(await res.text());
    }
    first.child.process.kill('SIGKILL');
    assert.equal((await first.child.exited).signal, 'SIGKILL');
    const second = await startHubProcess(dbPath);
    const stream = await openStream(`${second.hubUrl}?topic=https://e.com/durable&lastEventID=earliest`);
    const events = await stream.waitForEvents(20);
    assert.deepEqual(
      events.map((e) => e.lastEventId),
      ids,
    );
    stream.close();
    second.child.process.kill('SIGTERM');
    assert.equal((await second.child.exited).code, 0);
  });

  it('SIGTERM closes subscribers with a retry hint and exits 0', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'spout-cli-')), 'hub.db');
    const { child, hubUrl } = await startHubProcess(dbPath);
    const stream = await openStream(`${hubUrl}?topic=a`);
    child.process.kill('SIGTERM');
    await stream.ended;
    assert.equal(stream.retries.length, 1);
    assert.equal((await child.exited).code, 0);
  });

  it('refuses a bad setting with a message naming it and exit code 2', async () => {
    const child = run(['hub', '--max-body-bytes', 'lots'], { SPOUT_JWT_KEY: SECRET });
    assert.equal((await child.exited).code, 2);
    assert.match(child.stderr, /--max-body-bytes: must be a size/);
    const fromEnv = run(['hub'], { SPOUT_JWT_KEY: SECRET, SPOUT_PORT: '70000' });
    assert.equal((await fromEnv.exited).code, 2);
    assert.match(fromEnv.stderr, /SPOUT_PORT: must be at most 65535/);
  });

  it('spout hub --help documents every setting', async () => {
    const child = run(['hub', '--help']);
    assert.equal((await child.exited).code, 0);
    const help = child.stdout.join('\n');
    for (const flag of [
      '--jwt-key',
      '--cors-origins',
      '--subscriptions',
      '--cert',
      '--max-subscribers',
      '--heartbeat',
      '--metrics-token',
      '--no-metrics',
      '--no-ui',
      'SPOUT_METRICS_TOKEN',
      'SPOUT_DEBUG=1',
      'Exit codes: 0',
    ]) {
      assert.ok(help.includes(flag), `help mentions ${flag}`);
    }
  });
});

describe('spout token, pub and sub', () => {
  it('pub publishes with a minted token and sub prints the event as a JSON line', async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), 'spout-cli-')), 'hub.db');
    const { child: hub, hubUrl } = await startHubProcess(dbPath);
    const minted = run(['token', '--secret', SECRET, '--publish', 'https://e.com/{x}']);
    assert.equal((await minted.exited).code, 0);
    const token = minted.stdout[0]!;
    const sub = run(['sub', hubUrl, '--topic', 'https://e.com/{x}', '--last-event-id', 'earliest']);
    const pub = run([
      'pub',
      hubUrl,
      '--topic',
      'https://e.com/cli',
      '--data',
      'hello',
      '--id',
      'cli-1',
      '--token',
      token,
    ]);
    assert.equal((await pub.exited).code, 0, pub.stderr);
    assert.equal(pub.stdout[0], 'cli-1');
    const line = await waitForLine(sub, (l) => l.includes('cli-1'));
    assert.deepEqual(JSON.parse(line), { id: 'cli-1', type: 'message', data: 'hello' });
    const refused = run(['pub', hubUrl, '--topic', 'https://other.com/x', '--data', 'no', '--token', token]);
    assert.equal((await refused.exited).code, 1);
    assert.match(refused.stderr, /403/);
    sub.process.kill('SIGINT');
    await sub.exited;
    hub.process.kill('SIGTERM');
    await hub.exited;
  });
});

describe('spout sub', () => {
  it('prints events as they come and reconnects with Last-Event-ID after the hub cuts the stream', async () => {
    const lastEventIds: (string | undefined)[] = [];
    // Stands in for a hub that cuts the stream after the first event (a restart, a proxy timeout).
    const server = createServer((req, res) => {
      lastEventIds.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (lastEventIds.length === 1) {
        res.end('retry: 50\nid: e1\ndata: one\n\n');
      } else {
        res.write('id: e2\ndata: two\n\n');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sub = run(['sub', `http://127.0.0.1:${port}/.well-known/mercure`, '--topic', 'https://e.com/a']);
    try {
      const second = await waitForLine(sub, (l) => l.includes('e2'));
      assert.deepEqual(JSON.parse(sub.stdout[0]!), { id: 'e1', type: 'message', data: 'one' });
      assert.deepEqual(JSON.parse(second), { id: 'e2', type: 'message', data: 'two' });
      assert.deepEqual(lastEventIds, [undefined, 'e1']);
      assert.match(sub.stderr, /; reconnecting\n/);
    } finally {
      sub.process.kill('SIGINT');
      assert.equal((await sub.exited).code, 0);
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports a final error (401) as one line, without "reconnecting" or a stack trace, and exits 1', async () => {
    const hub = await startTestHub({ anonymous: false });
    try {
      const sub = run(['sub', hub.hubUrl, '--topic', 'https://e.com/a']);
      const { code } = await sub.exited;
      assert.equal(code, 1);
      const lines = sub.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, sub.stderr);
      assert.match(lines[0]!, /^spout sub: .*401/);
      assert.doesNotMatch(sub.stderr, /reconnecting|\n\s+at /);
    } finally {
      await hub.close();
    }
  });

  it('refuses a bad hub URL or Last-Event-ID with one line naming it and exit code 2', async () => {
    for (const [args, named] of [
      [['sub', 'not-a-url', '--topic', 'x'], /not a URL/],
      [['sub', 'http://127.0.0.1:1/x', '--topic', 'x', '--last-event-id', 'a\nb'], /--last-event-id/],
    ] as const) {
      const sub = run([...args]);
      assert.equal((await sub.exited).code, 2);
      assert.match(sub.stderr, named);
      assert.equal(sub.stderr.trim().split('\n').length, 1, sub.stderr);
    }
  });
});
