/**
 * The callbacks code written for @microsoft/fetch-event-source and eventsource-client relies on:
 * onOpen may refuse a response, onClose hears the server end the stream, onMessage hears every event,
 * the server's retry: sets the pace, and close() from any callback ends everything.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SseError } from '../core/sse-error.ts';
import { serverPool } from '../testing/servers.ts';
import { streamThenEnd } from '../testing/test-server.ts';
import { connect } from './connection.ts';
import type { RetryContext, SseEvent } from './types.ts';

const serve = serverPool();
const fast = { minDelay: 0, baseDelay: 5 };

describe('connect(): onOpen may refuse the response (fetch-event-source)', () => {
  for (const [how, onOpen] of [
    [
      'throws',
      () => {
        throw new Error('not for me');
      },
    ],
    ['returns a rejected promise', async () => Promise.reject(new Error('not for me'))],
  ] as const) {
    it(`onOpen that ${how} stops the stream with reason "rejected" (cause: the error), no event read, no reconnect`, async () => {
      const server = await serve(streamThenEnd('data: a\n\n'));
      const received: string[] = [];
      const stream = connect(server.url(), { onOpen, reconnect: fast });
      stream.on('message', (event) => received.push(event.data));
      const error = await stream.done.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      assert.ok(error instanceof SseError);
      assert.equal(error.reason, 'rejected');
      assert.equal(error.status, 200);
      assert.deepEqual([(error.cause as Error).message, error.retryable], ['not for me', false]);
      assert.deepEqual(received, []);
      assert.equal(server.requests.length, 1);
    });
  }

  it('shouldRetry returning true reconnects after a refused response', async () => {
    const server = await serve(streamThenEnd('data: a\n\n'));
    const stream = connect(server.url(), {
      onOpen: () => {
        if (server.requests.length === 1) throw new Error('first one refused');
      },
      reconnect: { ...fast, shouldRetry: ({ error }) => error.reason === 'rejected' },
    });
    const event = await new Promise<SseEvent>((resolve) => stream.on('message', resolve));
    stream.close();
    assert.equal(event?.data, 'a');
    assert.equal(server.requests.length, 2);
  });
});

describe('connect(): onClose, onMessage and retry (fetch-event-source, eventsource-client)', () => {
  it('onClose is called when the server ends the body, before the reconnect decision', async () => {
    const server = await serve(streamThenEnd('data: a\n\n'));
    const calls: string[] = [];
    const stream = connect(server.url(), {
      onClose: () => calls.push('onClose'),
      reconnect: {
        ...fast,
        shouldRetry: () => {
          calls.push('shouldRetry');
          return false;
        },
      },
    });
    await assert.rejects(stream.done, { reason: 'ended' });
    assert.deepEqual(calls, ['onClose', 'shouldRetry']);
  });

  it('a 204 calls onClose, ends the stream for good and resolves done', async () => {
    const server = await serve((_request, response) => response.writeHead(204).end());
    let closes = 0;
    const stream = connect(server.url(), { onClose: () => closes++, reconnect: fast });
    await stream.done;
    assert.equal(closes, 1);
    assert.equal(stream.state, 'closed');
    assert.equal(server.requests.length, 1);
  });

  it('onMessage hears every event whatever its type, before the listeners of its type', async () => {
    const server = await serve(
      streamThenEnd('data: a\n\nevent: price\ndata: 42\n\nevent: other\ndata: b\n\n'),
    );
    const calls: string[] = [];
    const stream = connect(server.url(), {
      onMessage: (event) => calls.push(`onMessage ${event.type} ${event.data}`),
      reconnect: false,
    });
    stream.on('price', (event) => calls.push(`price ${event.data}`));
    await stream.done;
    assert.deepEqual(calls, ['onMessage message a', 'onMessage price 42', 'price 42', 'onMessage other b']);
  });

  it('an event carries the retry: value of its own block', async () => {
    const server = await serve(streamThenEnd('retry: 50\ndata: a\n\ndata: b\n\n'));
    const events: SseEvent[] = [];
    await connect(server.url(), { onMessage: (event) => events.push(event as SseEvent), reconnect: false })
      .done;
    assert.deepEqual(
      events.map((event) => [event.data, event.retry]),
      [
        ['a', 50],
        ['b', undefined],
      ],
    );
    assert.equal('retry' in (events[1] ?? {}), false);
  });

  it("the server's retry: 50 is the floor, not the default minDelay of 500; a minDelay the user set still is", async () => {
    const server = await serve(streamThenEnd('retry: 50\ndata: a\n\n'));
    const delays = async (reconnect: object) => {
      const contexts: RetryContext[] = [];
      const shouldRetry = (context: RetryContext) => {
        contexts.push(context);
        return false;
      };
      await assert.rejects(connect(server.url(), { reconnect: { ...reconnect, shouldRetry } }).done);
      return contexts.map((context) => context.delay);
    };
    assert.deepEqual(await delays({ random: () => 0 }), [50]);
    assert.deepEqual(await delays({ random: () => 0, minDelay: 200 }), [200]);
  });
});

describe('connect(): close() from a callback stops every later callback and reconnect', () => {
  const callbacks = ['onOpen', 'onMessage', 'listener', 'onComment', 'onClose', 'shouldRetry', 'onError'];
  for (const closer of callbacks) {
    it(`close() from ${closer}`, async () => {
      const server = await serve(streamThenEnd('data: a\n\n: c\n\n'));
      const calls: string[] = [];
      const record = (name: string) => {
        calls.push(name);
        if (name === closer) stream.close();
      };
      const stream = connect(server.url(), {
        onOpen: () => record('onOpen'),
        onMessage: () => record('onMessage'),
        onComment: () => record('onComment'),
        onClose: () => record('onClose'),
        onError: () => record('onError'),
        reconnect: {
          ...fast,
          shouldRetry: () => {
            record('shouldRetry');
            return undefined;
          },
        },
      });
      stream.on('message', () => record('listener'));
      await stream.done;
      // The documented order, cut right after the callback that closed.
      assert.deepEqual(calls, callbacks.slice(0, callbacks.indexOf(closer) + 1));
      assert.equal(server.requests.length, 1);
    });
  }
});

describe('connect(): the resume point', () => {
  it('initialLastEventId (eventsource-client) is sent as Last-Event-ID on the first request', async () => {
    const server = await serve(streamThenEnd(''));
    await connect(server.url(), { initialLastEventId: '41', reconnect: false }).done;
    assert.equal(server.requests[0]?.headers['last-event-id'], '41');
  });

  it('a lastEventId or initialLastEventId that is not a string throws a TypeError naming the option', () => {
    for (const name of ['lastEventId', 'initialLastEventId']) {
      for (const value of [42, null, { id: 1 }]) {
        assert.throws(() => connect('http://127.0.0.1:1/', { [name]: value }), {
          name: 'TypeError',
          message: new RegExp(`^${name} must be a string, got `),
        });
      }
    }
    assert.throws(
      () => connect('http://127.0.0.1:1/', { lastEventId: 'a', initialLastEventId: 'b' }),
      TypeError,
    );
  });
});
