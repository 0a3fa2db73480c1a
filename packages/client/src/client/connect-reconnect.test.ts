import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SseError } from '../core/sse-error.ts';
import { serverPool } from '../testing/servers.ts';
import { openStream, sleep, streamThenEnd } from '../testing/test-server.ts';
import { connect } from './connection.ts';
import type { RetryContext } from './types.ts';

const serve = serverPool();

/** A policy that reconnects at once and records what the hook was told; it stops after `limit` reconnects. */
function recording(limit: number, overrides: Record<string, unknown> = {}) {
  const contexts: RetryContext[] = [];
  return {
    contexts,
    reconnect: {
      minDelay: 0,
      baseDelay: 5,
      shouldRetry: (context: RetryContext) => {
        contexts.push(context);
        return contexts.length <= limit ? 0 : false;
      },
      ...overrides,
    },
  };
}

describe('connect(): reconnecting', () => {
  it('[spec] reconnects after a clean end, sending the last event ID as Last-Event-ID', async () => {
    const server = await serve(streamThenEnd((index) => `id: ${index}-é\ndata: x\n\n`));
    const { reconnect } = recording(2);
    await assert.rejects(connect(server.url(), { reconnect }).done, { reason: 'ended' });
    assert.deepEqual(
      server.requests.map((r) => {
        const id = r.headers['last-event-id'];
        return typeof id === 'string' ? Buffer.from(id, 'latin1').toString('utf8') : id;
      }),
      [undefined, '0-é', '1-é'],
    );
  });

  it('[spec] waits the reconnection time set by retry: (no sooner)', async () => {
    const server = await serve(streamThenEnd((index) => (index === 0 ? 'retry: 150\ndata: x\n\n' : '')));
    const errors: number[] = [];
    const stream = connect(server.url(), {
      reconnect: { minDelay: 0, jitter: 'none', factor: 1 },
      onError: () => errors.push(performance.now()),
    });
    await server.waitForRequests(2);
    stream.close();
    const waited = (server.requests[1]?.at ?? 0) - (errors[0] ?? 0);
    assert.ok(waited >= 140, `reconnected after ${waited} ms, before the 150 ms of retry:`);
  });

  it('backoff grows per failed attempt and stays within floor and ceiling (injected random)', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('down');
    });
    const lowest = recording(4, { random: () => 0, minDelay: 100, baseDelay: 1000, maxDelay: 5000 });
    await assert.rejects(connect(server.url(), { reconnect: lowest.reconnect }).done);
    assert.deepEqual(
      lowest.contexts.map((c) => [c.attempt, c.delay]),
      [
        [1, 100],
        [2, 100],
        [3, 100],
        [4, 100],
        [5, 100],
      ],
    );
    const highest = recording(4, { random: () => 0.999, minDelay: 100, baseDelay: 1000, maxDelay: 5000 });
    await assert.rejects(connect(server.url(), { reconnect: highest.reconnect }).done);
    const windows = [2000, 4000, 5000, 5000, 5000];
    highest.contexts.forEach((context, i) => {
      const window = windows[i] ?? 0;
      assert.ok(
        context.delay <= window && context.delay > window * 0.99,
        `attempt ${i + 1}: ${context.delay}`,
      );
    });
  });

  it('[spec] honours retry: as the least delay of the backoff', async () => {
    const server = await serve(streamThenEnd('retry: 4000\n\n'));
    const { contexts, reconnect } = recording(0, { random: () => 0, minDelay: 0 });
    await assert.rejects(connect(server.url(), { reconnect }).done);
    assert.equal(contexts[0]?.delay, 4000);
  });

  it('honours Retry-After on a 503, and the error carries status, reason and body', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(503, 'Busy Right Now', { 'retry-after': '7', 'content-type': 'text/plain' });
      response.end('try later');
    });
    const { contexts, reconnect } = recording(0, { random: () => 0 });
    const stream = connect(server.url(), { reconnect });
    const error = (await stream.done.catch((e: unknown) => e)) as SseError;
    assert.equal(contexts[0]?.delay, 7000);
    assert.deepEqual(
      [error.reason, error.status, error.statusText, error.body, error.retryAfter, error.retryable],
      ['http-status', 503, 'Busy Right Now', 'try later', 7000, true],
    );
  });

  it('a 401 is final: no reconnect, the error says why', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"error":"token expired"}');
    });
    const errors: SseError[] = [];
    const stream = connect(server.url(), {
      onError: (e) => errors.push(e),
      reconnect: { minDelay: 0, baseDelay: 1 },
    });
    await assert.rejects(stream.done, { reason: 'http-status', status: 401, statusText: 'Unauthorized' });
    assert.equal(server.requests.length, 1);
    assert.match(errors[0]?.message ?? '', /401 Unauthorized.*token expired/);
  });

  it('an error response whose body never ends is reported anyway, with what arrived of it', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.write('<h1>Bad gateway</h1>'); // and the body never ends
    });
    const stream = connect(server.url(), { reconnect: false });
    await assert.rejects(stream.done, { reason: 'http-status', status: 502, body: '<h1>Bad gateway</h1>' });
  });

  it('shouldRetry may force a retry of a final error, and returning a number sets the delay', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) {
        response.writeHead(401);
        response.end();
      } else streamThenEnd('data: in\n\n')(_request, response, index);
    });
    const stream = connect(server.url(), {
      reconnect: { shouldRetry: ({ error }) => (error.status === 401 ? 1 : false) },
    });
    await assert.rejects(stream.done, { reason: 'ended' });
    assert.equal(server.requests.length, 2);
  });

  it('[spec] a 204 stops: done resolves, iteration ends, no reconnect', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) return streamThenEnd('data: last\n\n')(_request, response, index);
      response.writeHead(204);
      response.end();
    });
    const received: string[] = [];
    const stream = connect(server.url(), { reconnect: { minDelay: 0, baseDelay: 1 } });
    for await (const event of stream) received.push(event.data);
    await stream.done;
    await sleep(50);
    assert.deepEqual(received, ['last']);
    assert.equal(server.requests.length, 2);
  });

  it('gives up after maxAttempts failures in a row, with the last failure as cause', async () => {
    const server = await serve((request) => request.socket.destroy());
    const stream = connect(server.url(), { reconnect: { maxAttempts: 3, minDelay: 0, baseDelay: 1 } });
    const error = (await stream.done.catch((e: unknown) => e)) as SseError;
    assert.equal(error.reason, 'retries-exhausted');
    assert.equal((error.cause as SseError).reason, 'network');
    assert.equal(server.requests.length, 4);
  });

  it('reconnect: false never reconnects', async () => {
    const server = await serve((request) => request.socket.destroy());
    await assert.rejects(connect(server.url(), { reconnect: false }).done, { reason: 'network' });
    assert.equal(server.requests.length, 1);
  });

  it('close() cancels a pending reconnect', async () => {
    const server = await serve(streamThenEnd('retry: 100\ndata: x\n\n'));
    let failed: () => void = () => undefined;
    const firstFailure = new Promise<void>((resolve) => {
      failed = resolve;
    });
    const stream = connect(server.url(), { reconnect: { minDelay: 50 }, onError: () => failed() });
    // After onError returns, the reconnect timer is armed: close() must cancel it.
    await firstFailure;
    stream.close();
    await stream.done;
    await sleep(300);
    assert.equal(server.requests.length, 1);
  });

  it('a stalled stream (no byte for stallTimeout) is abandoned and reconnected', async () => {
    const server = await serve((_request, response, index) => {
      openStream(response);
      response.write(`data: ${index}\n\n`);
    });
    const errors: string[] = [];
    const stream = connect(server.url(), {
      stallTimeout: 100,
      reconnect: { minDelay: 0, baseDelay: 1 },
      onError: (e) => errors.push(e.reason),
    });
    const received: string[] = [];
    for await (const event of stream) {
      received.push(event.data);
      if (received.length === 2) break;
    }
    // Each attempt sends its own index, then nothing: every reconnect was caused by a stall.
    assert.equal(received.length, 2);
    assert.ok(Number(received[0]) < Number(received[1]), String(received));
    assert.ok(errors.length >= 1 && errors.every((reason) => reason === 'stall'), String(errors));
  });

  it('heartbeat comments keep a stream from stalling', async () => {
    let lastHeartbeat = 0;
    const server = await serve((_request, response, index) => {
      openStream(response);
      if (index > 0) return;
      let beats = 0;
      const timer = setInterval(() => {
        response.write(': heartbeat\n\n');
        lastHeartbeat = performance.now();
        if (++beats === 12) clearInterval(timer);
      }, 50);
    });
    const comments: string[] = [];
    // Shorter than the 600 ms of heartbeats, far longer than the 50 ms between two of them.
    const stream = connect(server.url(), {
      stallTimeout: 300,
      onComment: (text) => comments.push(text),
      reconnect: { minDelay: 0, baseDelay: 1 },
    });
    await server.waitForRequests(2);
    stream.close();
    assert.equal(comments.length, 12);
    assert.ok((server.requests[1]?.at ?? 0) > lastHeartbeat, 'reconnected before the heartbeats stopped');
  });
});
