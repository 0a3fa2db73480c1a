import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { HistoryStore } from '../history/history-store.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { Session } from '../session/session.ts';
import { MemorySink, nextTick, ReadingSink } from '../testing/memory-sink.ts';
import { openStream, startHttpServer, type TestServer } from '../testing/sse-client.ts';
import { createSession } from '../transports/node.ts';
import { Channel } from './channel.ts';
import type { ChannelOptions } from './options.ts';

const cap = { heartbeatInterval: 0, maxBufferedBytes: 1000 };

/** Ids `from + 1` to `to`, as strings. */
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + 1 + i));

/** A channel whose history holds the given data, ids 1 to n. */
function channelWith(
  data: readonly string[],
  options: ChannelOptions<Record<string, unknown>, unknown> = {},
) {
  const channel = new Channel({
    history: new MemoryHistory({ maxEvents: 10_000 }),
    serialize: String,
    ...options,
  });
  for (const item of data) channel.broadcast(item);
  return channel;
}

/** A store over the network, as far as the channel can tell: every answer comes later. */
function asyncStore(inner: MemoryHistory): HistoryStore {
  return {
    append: async (fields, meta) => inner.append(fields, meta),
    positionOf: async (id) => inner.positionOf(id),
    readPage: async (after, limit) => inner.readPage(after, limit),
    trim: async () => inner.trim(),
  };
}

/** A reader resumes after id 5 of the 60 in `channel` while a publisher broadcasts on every turn. */
async function assertLiveFollowsLongReplay(channel: Channel) {
  const { sink, session } = reader('5');
  let live = 0;
  const joined = channel.join(session);
  const publishing = (async () => {
    for (; live < 30; live++) {
      channel.broadcast('live');
      await nextTick();
    }
  })();
  await joined;
  await publishing;
  await channel.broadcast('after');
  await nextTick();
  await nextTick();
  assert.equal(session.isOpen, true);
  assert.deepEqual(sink.ids, range(5, 60 + live + 1));
}

/**
 * A transport that takes every write (no drain event follows) but sends it
 * later: what it holds counts against the session's cap for a few ms.
 */
class TrickleSink extends MemorySink {
  override write(chunk: Uint8Array): boolean {
    super.write(chunk);
    this.writableLength += chunk.byteLength;
    setTimeout(() => {
      this.writableLength -= chunk.byteLength;
    }, 10);
    return true;
  }
}

/** A session over a client that reads one write per turn, resuming after `lastEventId`. */
function reader(lastEventId: string) {
  const sink = new ReadingSink();
  const session = new Session(sink, cap, { lastEventId });
  sink.onDrain = () => session.drained();
  return { sink, session };
}

/** A session over a client that has stopped reading: the transport takes nothing more. */
function stalled(lastEventId: string): Session {
  const sink = new MemorySink();
  sink.full = true;
  return new Session(sink, cap, { lastEventId });
}

/** 60 events of about 50 bytes: a replay of them is a few times the cap. */
const LONG = Array.from({ length: 60 }, () => 'x'.repeat(40));

describe('replay larger than the session cap', () => {
  test('a replay of many events larger than maxBufferedBytes reaches a client that reads', async () => {
    const channel = channelWith(LONG);
    const { sink, session } = reader('1');
    await channel.join(session);
    await nextTick();
    assert.equal(session.isOpen, true);
    assert.deepEqual(sink.ids, range(1, 60));
  });

  test('one event larger than maxBufferedBytes among others in a replay reaches a client that reads', async () => {
    const channel = channelWith(['start', 'a', 'x'.repeat(3000), 'b']);
    const { sink, session } = reader('1');
    await channel.join(session);
    await nextTick();
    assert.equal(session.isOpen, true);
    assert.deepEqual(sink.ids, ['2', '3', '4']);
    assert.equal(sink.data[1], 'x'.repeat(3000));
  });

  test('an event larger than the cap waits until the transport has sent what it still holds', async () => {
    const channel = channelWith(['start', 'a', 'x'.repeat(3000)]);
    const sink = new TrickleSink();
    const session = new Session(sink, cap, { lastEventId: '1' });
    await channel.join(session);
    await nextTick();
    assert.equal(session.isOpen, true);
    assert.deepEqual(sink.ids, ['2', '3']);
  });

  test('rejects a replayTimeout that is not a positive number', () => {
    assert.throws(() => new Channel({ replayTimeout: 0 }), /replayTimeout/);
  });

  test('live events broadcast during a long replay follow it with no gap and no duplicate', async () => {
    await assertLiveFollowsLongReplay(channelWith(LONG));
  });

  test('with an asynchronous store, live events broadcast during a long replay follow it with no gap and no duplicate', async () => {
    const channel = channelWith(LONG, { history: asyncStore(new MemoryHistory({ maxEvents: 10_000 })) });
    await nextTick();
    await assertLiveFollowsLongReplay(channel);
  });

  test('[policy] a client that stops reading during a replay is closed as a slow consumer after replayTimeout', async () => {
    const channel = channelWith(LONG, { replayTimeout: 20 });
    const session = stalled('1');
    await channel.join(session);
    assert.equal(await session.closed, 'overflow');
    assert.equal(channel.has(session), false);
  });

  test('[policy] live events held for a client that stops reading during a replay are capped by maxReplayBuffer', async () => {
    const channel = channelWith(LONG, { maxReplayBuffer: 3 });
    const session = stalled('1');
    const joined = channel.join(session);
    await nextTick();
    for (let i = 0; i < 4; i++) channel.broadcast('live');
    assert.equal(await session.closed, 'server');
    await joined;
    assert.equal(channel.has(session), false);
  });

  test('[policy] live events held for a client that stops reading during a replay are capped by maxReplayBufferBytes', async () => {
    const channel = channelWith(LONG, { maxReplayBufferBytes: 100 });
    const session = stalled('1');
    const joined = channel.join(session);
    await nextTick();
    channel.broadcast('x'.repeat(40));
    assert.equal(session.isOpen, true);
    channel.broadcast('x'.repeat(40));
    assert.equal(await session.closed, 'server');
    await joined;
    assert.equal(channel.has(session), false);
  });

  describe('over node:http', () => {
    let server: TestServer;
    after(() => server?.close());

    test('a replay of several times maxBufferedBytes reaches a reading client over a socket', async () => {
      const channel = channelWith(Array.from({ length: 400 }, () => 'x'.repeat(1000)));
      server = await startHttpServer((req, res) => {
        channel.join(createSession(req, res, { heartbeatInterval: 0, maxBufferedBytes: 64 * 1024 }));
      });
      const stream = await openStream(server.url, { 'last-event-id': '1' });
      const events = await stream.waitForEvents(399);
      assert.deepEqual(
        events.map((event) => event.lastEventId),
        range(1, 400),
      );
      stream.abort();
    });
  });
});
