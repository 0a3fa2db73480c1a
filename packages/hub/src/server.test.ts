import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { describe, it } from 'node:test';
import type { ParsedEvent } from '@spout/protocol';
import { createSseReader } from '../../../testing/sse-reader.ts';
import { selfSignedCertificate } from '../../../testing/tls.ts';
import { createMemoryStore } from './store/index.ts';
import { overrideStore } from './store/testing/override.ts';
import { openStream } from './testing/sse-reader.ts';
import { startTestHub } from './testing/test-hub.ts';

describe('HTTP/2 with TLS', () => {
  it('serves more than 6 subscriptions over one HTTP/2 connection (ALPN h2)', async () => {
    const { cert, key } = selfSignedCertificate();
    const hub = await startTestHub({ anonymous: true }, { cert, key });
    assert.match(hub.url, /^https:/);
    const session = connect(hub.url, { ca: cert });
    const received: ParsedEvent[][] = [];
    const streams = Array.from({ length: 10 }, (_, i) => {
      const reader = createSseReader();
      received.push(reader.events);
      const path = new URL(hub.subscribeUrl([`https://e.com/h2/${i}`, 'https://e.com/h2/all'])).pathname;
      const query = new URL(hub.subscribeUrl([`https://e.com/h2/${i}`, 'https://e.com/h2/all'])).search;
      const stream = session.request({ ':path': path + query, accept: 'text/event-stream' });
      stream.on('data', (chunk: Buffer) => reader.feed(chunk));
      return stream;
    });
    const statuses = await Promise.all(
      streams.map(
        (stream) =>
          new Promise<number>((resolve) => stream.once('response', (h) => resolve(Number(h[':status'])))),
      ),
    );
    assert.deepEqual(statuses, Array(10).fill(200));
    const publisher = await hub.token({ publish: ['*'] });
    // Publishing over the same HTTP/2 connection, as an 11th stream.
    const post = session.request({
      ':method': 'POST',
      ':path': '/.well-known/mercure',
      authorization: `Bearer ${publisher}`,
      'content-type': 'application/x-www-form-urlencoded',
    });
    post.end('topic=https://e.com/h2/all&data=everyone');
    const status = await new Promise<number>((resolve) =>
      post.once('response', (h) => resolve(Number(h[':status']))),
    );
    assert.equal(status, 200);
    post.resume();
    await waitUntil(() => received.every((events) => events.length === 1));
    assert.ok(received.every((events) => events[0]?.data === 'everyone'));
    for (const stream of streams) stream.close();
    session.close();
    await hub.close();
  });

  it('falls back to HTTP/1.1 over TLS for clients without h2', async () => {
    const { cert, key } = selfSignedCertificate();
    const hub = await startTestHub({ anonymous: true }, { cert, key });
    const status = await new Promise<{ status: number; version: string }>((resolve, reject) => {
      const req = httpsRequest(hub.subscribeUrl(['a']), { ca: cert }, (res) => {
        resolve({ status: res.statusCode ?? 0, version: res.httpVersion });
        res.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    assert.deepEqual(status, { status: 200, version: '1.1' });
    await hub.close();
  });
});

describe('graceful shutdown', () => {
  it('sends subscribers a retry hint, closes them, and refuses new work', async () => {
    const hub = await startTestHub({ anonymous: true, shutdownRetryMs: 1000 });
    const stream = await openStream(hub.subscribeUrl(['a']));
    const closing = hub.close();
    await stream.ended;
    assert.equal(stream.retries.length, 1);
    const retry = stream.retries[0]!;
    assert.ok(retry >= 1000 && retry <= 2000, `retry ${retry} is jittered within [1000, 2000]`);
    await closing;
    await assert.rejects(fetch(hub.hubUrl));
  });

  it('answers a client arriving while the hub shuts down with 503 and Retry-After, not a refused connection', async () => {
    const store = createMemoryStore();
    let releaseAppend: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseAppend = resolve;
    });
    let appendReached: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      appendReached = resolve;
    });
    // A publish still being stored keeps the shutdown going until it is answered.
    const slowStore = overrideStore(store, {
      append: async (updates) => {
        appendReached();
        await held;
        return store.append(updates);
      },
    });
    const hub = await startTestHub({ store: slowStore, anonymous: true });
    const token = await hub.token({ publish: ['*'] });
    const inFlight = hub.publish({ topic: 'a', data: 'stored during shutdown' }, token);
    await reached;
    const closing = hub.close();
    const late = await fetch(hub.subscribeUrl(['a']));
    assert.equal(late.status, 503);
    assert.ok(Number(late.headers.get('retry-after')) > 0);
    assert.match(await late.text(), /shutting down/);
    releaseAppend();
    assert.equal((await inFlight).status, 200, 'the publish accepted before the shutdown is stored');
    await closing;
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
