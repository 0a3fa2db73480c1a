/**
 * The nginx configuration of docs/deploy.md, run as written (only its ports and certificate paths
 * replaced): nginx checks it, terminates TLS with HTTP/2 in front of a hub, and delivers each event
 * at once, unbuffered, to a subscriber reading through it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as connectHttp2 } from 'node:http2';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestHub } from '../../packages/hub/src/testing/test-hub.ts';
import { selfSignedCertificate } from '../../testing/tls.ts';

const DOC = join(import.meta.dirname, '..', '..', 'docs', 'deploy.md');
const NGINX = '/usr/sbin/nginx';

/** The first ```nginx block of docs/deploy.md. */
function documentedServerBlock(): string {
  const block = /```nginx\n([\s\S]*?)```/.exec(readFileSync(DOC, 'utf8'))?.[1];
  assert.ok(block, 'docs/deploy.md has an nginx block');
  return block;
}

/** nginx before 1.25.1 has no `http2 on;`: the doc's comment gives the older spelling. */
function nginxHasHttp2Directive(): boolean {
  const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(spawnSync(NGINX, ['-v'], { encoding: 'utf8' }).stderr);
  const [major, minor, patch] = (version?.slice(1) ?? ['0', '0', '0']).map(Number) as [
    number,
    number,
    number,
  ];
  return major > 1 || minor > 25 || (minor === 25 && patch >= 1);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function accepting(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.destroy() !== undefined));
      socket.once('error', () => resolve(false));
    });
    if (up) return;
    await sleep(25);
  }
  throw new Error(`nothing listens on ${port}`);
}

/** Waits until the hub counts the subscriber that nginx passed on. */
async function subscribed(hubUrl: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const health = (await (await fetch(new URL('/healthz', hubUrl))).json()) as { subscribers: number };
    if (health.subscribers === 1) return;
    await sleep(25);
  }
  throw new Error('the subscription never reached the hub');
}

interface Config {
  dir: string;
  hubPort: number;
  tlsPort: number;
  certPath: string;
  keyPath: string;
}

/** The documented server block inside a main configuration that runs from a temporary directory. */
function nginxConf({ dir, hubPort, tlsPort, certPath, keyPath }: Config): string {
  let server = documentedServerBlock()
    .replace('server 127.0.0.1:3000;', `server 127.0.0.1:${hubPort};`)
    .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${certPath};`)
    .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${keyPath};`);
  server = nginxHasHttp2Directive()
    ? server.replace('listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`)
    : server
        .replace('listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
        .replace(/^\s*http2 on;.*$/m, '');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((name) => `${name}_temp_path ${join(dir, name)};`)
    .join('\n');
  return `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 64; }
http {
access_log off;
${temp}
${server}
}
`;
}

it(
  'docs/deploy.md: nginx passes events through at once, over HTTP/2 with TLS',
  { timeout: 60_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spout-nginx-'));
    const { cert, certPath, keyPath } = selfSignedCertificate();
    // A heartbeat far longer than the test: an event that arrives came through unbuffered.
    const hub = await startTestHub({ anonymous: true, heartbeatMs: 600_000 });
    const tlsPort = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      nginxConf({ dir, hubPort: Number(new URL(hub.url).port), tlsPort, certPath, keyPath }),
    );
    const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', conf], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    const nginx = spawn(NGINX, ['-p', dir, '-c', conf], { stdio: 'ignore' });
    await accepting(tlsPort);
    const session = connectHttp2(`https://127.0.0.1:${tlsPort}`, { ca: cert });
    try {
      const topic = 'https://example.com/through-nginx';
      const stream = session.request({
        ':path': `/.well-known/mercure?topic=${encodeURIComponent(topic)}`,
        accept: 'text/event-stream',
      });
      // nginx 1.22 sends an HTTP/2 response's headers with its first body bytes: the status comes
      // with the event, so it is read alongside.
      const status = new Promise<number>((resolve) =>
        stream.once('response', (h) => resolve(Number(h[':status']))),
      );
      let received = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        received += chunk;
      });
      await subscribed(hub.url);
      const token = await hub.token({ publish: ['*'] });
      assert.equal((await hub.publish({ topic, data: 'unbuffered' }, token)).status, 200);
      for (let i = 0; i < 100 && !received.includes('data: unbuffered'); i++) await sleep(20);
      assert.equal(await status, 200, 'subscribed over HTTP/2 through nginx');
      assert.match(received, /data: unbuffered/, 'the event came through long before any heartbeat');
      stream.close();
    } finally {
      session.close();
      nginx.kill('SIGTERM'); // fast shutdown: a graceful one waits for the open stream
      await new Promise((resolve) => nginx.once('exit', resolve));
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
