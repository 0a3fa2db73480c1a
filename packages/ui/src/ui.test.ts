import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { mintToken } from '@spout/hub';
import { decodeJwt } from 'jose';
import { createSseReader } from '../../../testing/sse-reader.ts';
import { type Demos, type DemoUpdate, notificationTopic, PublishError, startDemos } from './demos/index.ts';
import { createUiHandler, type HubCounters, type UiHandler } from './index.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function serve(ui: UiHandler): Promise<{ server: Server; call: typeof call }> {
  const server = createServer((req, res) => {
    if (!ui.handle(req, res)) res.writeHead(418).end('not the UI');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  function call(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
  }
  return { server, call };
}

const postJson = (call: Awaited<ReturnType<typeof serve>>['call'], path: string, value: unknown) =>
  call('POST', path, { 'content-type': 'application/json' }, JSON.stringify(value));

describe('UI pages and assets', () => {
  let ui: UiHandler;
  let ctx: Awaited<ReturnType<typeof serve>>;
  before(async () => {
    ui = await createUiHandler();
    ctx = await serve(ui);
  });
  after(() => {
    ctx.server.close();
    ui.close();
  });

  it('redirects / to the home page', async () => {
    const answer = await ctx.call('GET', '/');
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.location, '/ui/');
  });

  it('leaves paths outside /ui to the hub', async () => {
    assert.equal((await ctx.call('GET', '/.well-known/mercure')).status, 418);
    assert.equal((await ctx.call('GET', '/uix')).status, 418);
  });

  for (const path of [
    '/ui/',
    '/ui/debugger',
    '/ui/status',
    '/ui/demos/prices',
    '/ui/demos/notifications',
    '/ui/demos/ride/rider',
    '/ui/demos/ride/driver',
  ]) {
    it(`serves ${path} as HTML revalidated on every load, loading only same-origin hashed assets`, async () => {
      const page = await ctx.call('GET', path);
      assert.equal(page.status, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(page.headers['cache-control'], 'no-cache');
      assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
      const refs = [...page.body.toString().matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map(
        (m) => m[1]!,
      );
      assert.ok(refs.some((ref) => ref.endsWith('.js')) && refs.some((ref) => ref.endsWith('.css')));
      for (const ref of refs) {
        assert.match(ref, /-[A-Z0-9]{8}\.(js|css)$/);
        const asset = await ctx.call('GET', ref);
        assert.equal(asset.status, 200, ref);
        assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
        assert.match(
          asset.headers['content-type']!,
          ref.endsWith('.js') ? /^text\/javascript/ : /^text\/css/,
        );
      }
    });
  }

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await ctx.call('GET', '/ui/debugger');
    const again = await ctx.call('GET', '/ui/debugger', { 'if-none-match': first.headers.etag! });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  it('gzips when the client accepts it, and only then', async () => {
    const page = await ctx.call('GET', '/ui/status');
    const script = /src="(\/ui\/assets\/status-[^"]+\.js)"/.exec(page.body.toString())![1]!;
    const plain = await ctx.call('GET', script);
    const zipped = await ctx.call('GET', script, { 'accept-encoding': 'gzip, br' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.ok(zipped.body.length < plain.body.length);
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    const refused = await ctx.call('GET', script, { 'accept-encoding': 'gzip;q=0' });
    assert.equal(refused.headers['content-encoding'], undefined);
  });

  it('answers HEAD with headers only', async () => {
    const head = await ctx.call('HEAD', '/ui/');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(head.headers['content-length']) > 0);
  });

  it('answers 404 with a hint for an unknown UI path, 405 with Allow for a POST to a page', async () => {
    const missing = await ctx.call('GET', '/ui/nope');
    assert.equal(missing.status, 404);
    assert.match(missing.body.toString(), /start at \/ui\//);
    const post = await ctx.call('POST', '/ui/debugger');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
  });

  it('describes the hub at /ui/api/info, with no demos and no stats when none are given', async () => {
    const answer = await ctx.call('GET', '/ui/api/info');
    assert.deepEqual(JSON.parse(answer.body.toString()), { name: 'Spout hub', demos: [], stats: false });
  });

  it('adds what the hub tells about itself to /ui/api/info', async () => {
    const described = await createUiHandler({
      info: () => ({ version: '9.9.9', store: 'memory', anonymous: false }),
    });
    const other = await serve(described);
    try {
      const info = JSON.parse((await other.call('GET', '/ui/api/info')).body.toString());
      assert.deepEqual(info, {
        name: 'Spout hub',
        version: '9.9.9',
        store: 'memory',
        anonymous: false,
        demos: [],
        stats: false,
      });
    } finally {
      other.server.close();
      described.close();
    }
  });

  it('answers 405 with Allow to a POST on the read-only endpoints', async () => {
    for (const path of ['/ui/api/info', '/ui/api/stats']) {
      const answer = await postJson(ctx.call, path, {});
      assert.equal(answer.status, 405, path);
      assert.equal(answer.headers.allow, 'GET');
    }
  });

  it('[spec] answers the status stream with 204 when the hub reports no stats, so EventSource stops', async () => {
    assert.equal((await ctx.call('GET', '/ui/api/stats')).status, 204);
  });

  it('[security] answers 404 for every demo endpoint when no demos run, even with a token minter', async () => {
    const minting = await createUiHandler({
      mintSubscriberToken: (topics, expiresInSeconds) =>
        mintToken({
          secret: 'a-secret-that-must-sign-nothing-0123456789',
          subscribe: topics,
          expiresInSeconds,
        }),
    });
    const own = await serve(minting);
    try {
      for (const path of [
        '/ui/api/demos/notifications/session',
        '/ui/api/demos/notifications',
        '/ui/api/demos/ride/request',
      ]) {
        const answer = await postJson(own.call, path, { user: 'alice' });
        assert.equal(answer.status, 404, path);
        assert.equal(answer.headers['set-cookie'], undefined, path);
      }
    } finally {
      own.server.close();
      minting.close();
    }
  });
});

describe('UI live status feed', () => {
  it('streams the kept history on connect, then one sample per interval with rates from counter deltas', async () => {
    // Counters that grow with the clock (50 publishes/s, 500 deliveries/s), so the expected rates hold however late a tick fires.
    const start = Date.now();
    const ui = await createUiHandler({
      stats: (): HubCounters => ({
        subscribers: 3,
        publishes: (Date.now() - start) / 20,
        deliveries: (Date.now() - start) / 2,
        storeUpdates: 10,
      }),
      statsFeed: { intervalMs: 100 },
    });
    const { server } = await serve(ui);
    const { port } = server.address() as AddressInfo;
    const controller = new AbortController();
    try {
      await new Promise((resolve) => setTimeout(resolve, 350));
      const response = await fetch(`http://127.0.0.1:${port}/ui/api/stats`, { signal: controller.signal });
      assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      const { events, feed } = createSseReader();
      const reader = response.body!.getReader();
      while (events.filter((e) => e.type === 'sample').length < 1) feed((await reader.read()).value!);
      assert.equal(events[0]!.type, 'history');
      const history = JSON.parse(events[0]!.data) as { subscribers: number }[];
      assert.ok(history.length >= 1);
      const sample = JSON.parse(events.find((e) => e.type === 'sample')!.data);
      assert.equal(sample.subscribers, 3);
      assert.equal(sample.storeUpdates, 10);
      // 5 publishes and 50 deliveries per 100 ms tick: about 50/s and 500/s.
      assert.ok(
        sample.publishesPerSecond > 20 && sample.publishesPerSecond < 100,
        String(sample.publishesPerSecond),
      );
      assert.ok(sample.deliveriesPerSecond > 200 && sample.deliveriesPerSecond < 1000);
    } finally {
      controller.abort();
      ui.close();
      server.close();
    }
  });
});

describe('UI live status feed limits', () => {
  it('refuses viewers past the cap with 503 and Retry-After, and frees the place when one leaves', async () => {
    const ui = await createUiHandler({
      stats: () => ({ subscribers: 0, publishes: 0, deliveries: 0 }),
      statsFeed: { maxViewers: 1, intervalMs: 50 },
    });
    const { server, call } = await serve(ui);
    const { port } = server.address() as AddressInfo;
    const first = new AbortController();
    try {
      const viewer = await fetch(`http://127.0.0.1:${port}/ui/api/stats`, { signal: first.signal });
      assert.equal(viewer.status, 200);
      const refused = await call('GET', '/ui/api/stats');
      assert.equal(refused.status, 503);
      assert.equal(refused.headers['retry-after'], '10');
      first.abort();
      let again: Answer | undefined;
      for (let i = 0; i < 100 && again?.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        again = await new Promise<Answer>((resolve, reject) => {
          const req = request({ host: '127.0.0.1', port, path: '/ui/api/stats' }, (res) => {
            resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.alloc(0) });
            res.destroy();
          });
          req.on('error', reject).end();
        });
      }
      assert.equal(again?.status, 200);
    } finally {
      first.abort();
      ui.close();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('UI demo endpoints', () => {
  const secret = 'test-secret-at-least-32-bytes-long!!';
  let ui: UiHandler;
  let ctx: Awaited<ReturnType<typeof serve>>;
  let demos: Demos;
  let published: DemoUpdate[];
  let refuse = false;
  before(async () => {
    published = [];
    demos = startDemos({
      hubUrl: 'http://unused.invalid',
      token: 'unused',
      intervals: { prices: 3_600_000, notifications: 3_600_000, ride: 3_600_000 },
      publish: async (update) => {
        if (refuse) throw new PublishError(403, 'token does not cover the topic');
        published.push(update);
        return `urn:test:${published.length}`;
      },
    });
    ui = await createUiHandler({
      demos,
      mintSubscriberToken: (topics, expiresInSeconds) =>
        mintToken({ secret, subscribe: topics, expiresInSeconds }),
    });
    ctx = await serve(ui);
  });
  after(async () => {
    ctx.server.close();
    ui.close();
    await demos.stop();
  });

  it('lists the running demos in /ui/api/info', async () => {
    const info = JSON.parse((await ctx.call('GET', '/ui/api/info')).body.toString());
    assert.deepEqual(info.demos, ['prices', 'notifications', 'ride']);
  });

  it('[mercure] sets an HttpOnly mercureAuthorization cookie scoped to the hub, whose token may subscribe to that user topic only', async () => {
    const answer = await postJson(ctx.call, '/ui/api/demos/notifications/session', { user: 'alice' });
    assert.equal(answer.status, 200);
    const cookie = String(answer.headers['set-cookie']);
    assert.match(cookie, /^mercureAuthorization=[\w-]+\.[\w-]+\.[\w-]+; /);
    assert.match(cookie, /Path=\/\.well-known\/mercure/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const token = /mercureAuthorization=([^;]+)/.exec(cookie)![1]!;
    const claims = decodeJwt(token) as { mercure: { subscribe: string[] }; exp: number };
    assert.deepEqual(claims.mercure.subscribe, [notificationTopic('alice')]);
    assert.ok(claims.exp > Date.now() / 1000);
  });

  it('refuses a session for an unknown user (400), a non-JSON body (415), an oversized body (413), a GET (405)', async () => {
    const unknown = await postJson(ctx.call, '/ui/api/demos/notifications/session', { user: 'mallory' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.toString(), /pick one of alice, bob, carol/);
    const form = await ctx.call(
      'POST',
      '/ui/api/demos/notifications/session',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'user=alice',
    );
    assert.equal(form.status, 415);
    const big = await postJson(ctx.call, '/ui/api/demos/notifications/session', { user: 'x'.repeat(20_000) });
    assert.equal(big.status, 413);
    const get = await ctx.call('GET', '/ui/api/demos/notifications/session');
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  it('publishes a notification from the form as a private update to that user, answering its id', async () => {
    const before = published.length;
    const answer = await postJson(ctx.call, '/ui/api/demos/notifications', {
      to: 'carol',
      title: 'Hi',
      body: 'Tea?',
    });
    assert.equal(answer.status, 200);
    const update = published[before]!;
    assert.deepEqual(JSON.parse(answer.body.toString()), { id: `urn:test:${before + 1}` });
    assert.deepEqual(update.topics, [notificationTopic('carol')]);
    assert.equal(update.private, true);
  });

  it('answers 400 for a notification without title or to an unknown user, 502 when the hub refuses it', async () => {
    assert.equal((await postJson(ctx.call, '/ui/api/demos/notifications', { to: 'bob' })).status, 400);
    assert.equal(
      (await postJson(ctx.call, '/ui/api/demos/notifications', { to: 'zed', title: 'x' })).status,
      400,
    );
    refuse = true;
    try {
      const refused = await postJson(ctx.call, '/ui/api/demos/notifications', { to: 'bob', title: 'x' });
      assert.equal(refused.status, 502);
      assert.match(refused.body.toString(), /403 token does not cover/);
    } finally {
      refuse = false;
    }
  });

  it('restarts the ride at "requested" on request', async () => {
    const answer = await postJson(ctx.call, '/ui/api/demos/ride/request', {});
    assert.equal(answer.status, 204);
  });
});
