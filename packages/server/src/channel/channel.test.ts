import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryHistory } from '../history/memory-history.ts';
import { Session } from '../session/session.ts';
import { MemorySink, nextTick } from '../testing/memory-sink.ts';
import { Channel } from './channel.ts';

const quiet = { heartbeatInterval: 0 };

function connect(lastEventId?: string): { sink: MemorySink; session: Session } {
  const sink = new MemorySink();
  return { sink, session: new Session(sink, quiet, { lastEventId }) };
}

describe('Channel broadcast', () => {
  test('writes the same bytes object to every session: encoded once', async () => {
    const channel = new Channel();
    const clients = [connect(), connect(), connect()];
    for (const { session } of clients) channel.join(session);
    channel.broadcast({ n: 1 });
    await nextTick();
    const written = clients.map(({ sink }) => sink.chunks[0]);
    assert.ok(written[0] !== undefined);
    assert.ok(written.every((chunk) => chunk === written[0]));
    for (const { sink } of clients) assert.deepEqual(sink.data, ['{"n":1}']);
  });

  test('sends the events of one tick in one write per session', async () => {
    const channel = new Channel();
    const { sink, session } = connect();
    channel.join(session);
    for (let i = 0; i < 10; i++) channel.broadcast(i);
    await nextTick();
    assert.equal(sink.chunks.length, 1);
    assert.deepEqual(sink.data, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  test('a filter limits a broadcast to some sessions', async () => {
    const channel = new Channel<{ message: string }, { room: string }>();
    const a = new MemorySink();
    const b = new MemorySink();
    channel.join(new Session(a, quiet, { state: { room: 'red' } }));
    channel.join(new Session(b, quiet, { state: { room: 'blue' } }));
    channel.broadcast('everyone');
    channel.broadcast('red only', { filter: (session) => session.state.room === 'red' });
    channel.broadcast('everyone again');
    await nextTick();
    assert.deepEqual(a.data, ['"everyone"', '"red only"', '"everyone again"']);
    assert.deepEqual(b.data, ['"everyone"', '"everyone again"']);
  });

  test('keeps the order of broadcasts and direct sends to one session', async () => {
    const channel = new Channel();
    const { sink, session } = connect();
    channel.join(session);
    channel.broadcast('first');
    session.send('second');
    channel.broadcast('third');
    await nextTick();
    assert.deepEqual(sink.data, ['"first"', '"second"', '"third"']);
  });

  test('emit() broadcasts a typed named event', async () => {
    const channel = new Channel<{ price: number }>();
    const { sink, session } = connect();
    channel.join(session);
    channel.emit('price', 187.2);
    await nextTick();
    assert.deepEqual([sink.events[0]?.type, sink.events[0]?.data], ['price', '187.2']);
  });

  test('tracks its sessions; a closed session leaves by itself', () => {
    const channel = new Channel();
    const a = connect();
    const b = connect();
    channel.join(a.session);
    channel.join(b.session);
    assert.equal(channel.size, 2);
    a.session.disconnected();
    assert.equal(channel.size, 1);
    assert.deepEqual(channel.sessions(), [b.session]);
    channel.leave(b.session);
    assert.equal(channel.size, 0);
    assert.equal(b.session.isOpen, true, 'leave() does not close');
  });

  test('ignores a closed session on join', () => {
    const channel = new Channel();
    const { session } = connect();
    session.close();
    channel.join(session);
    assert.equal(channel.size, 0);
  });

  test('close() ends every session with an optional final event', async () => {
    const channel = new Channel();
    const clients = [connect(), connect()];
    for (const { session } of clients) channel.join(session);
    channel.broadcast('news');
    channel.close({ event: 'shutdown', data: '' });
    for (const { sink } of clients) {
      assert.deepEqual(
        sink.events.map((event) => event.type),
        ['message', 'shutdown'],
      );
      assert.equal(sink.ended, true);
    }
    assert.equal(channel.size, 0);
  });

  test('closes a slow session at its cap without holding up the others', async () => {
    const channel = new Channel();
    const fast = connect();
    const slowSink = new MemorySink();
    const slow = new Session(slowSink, { ...quiet, maxBufferedBytes: 1000 });
    channel.join(fast.session);
    channel.join(slow);
    slowSink.full = true;
    for (let i = 0; i < 20; i++) {
      channel.broadcast('x'.repeat(100));
      await nextTick();
    }
    assert.equal(await slow.closed, 'overflow');
    assert.equal(fast.sink.events.length, 20);
    assert.equal(channel.size, 1);
  });
});

describe('Channel history and replay', () => {
  test('assigns ids from the history and resolves with them', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    assert.equal(await channel.broadcast('a'), '1');
    assert.equal(await channel.broadcast('b', { id: 'custom' }), 'custom');
  });

  test('[spec] a session with Last-Event-ID gets what it missed, then live events', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    for (const data of ['a', 'b', 'c']) channel.broadcast(data);
    const { sink, session } = connect('1');
    channel.join(session);
    channel.broadcast('d');
    await nextTick();
    assert.deepEqual(sink.ids, ['2', '3', '4']);
  });

  test('no duplicate when joining in the same tick as a broadcast', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    const early = connect();
    channel.join(early.session);
    channel.broadcast('a');
    channel.broadcast('b');
    const late = connect('1');
    channel.join(late.session);
    await nextTick();
    assert.deepEqual(late.sink.ids, ['2']);
    assert.deepEqual(early.sink.ids, ['1', '2']);
  });

  test('a session without Last-Event-ID gets live events only', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    channel.broadcast('old');
    const { sink, session } = connect();
    channel.join(session);
    channel.broadcast('new');
    await nextTick();
    assert.deepEqual(sink.data, ['"new"']);
  });

  test('join() can replay from an id given by the app', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    for (const data of ['a', 'b']) channel.broadcast(data);
    const { sink, session } = connect();
    channel.join(session, { lastEventId: '1' });
    await nextTick();
    assert.deepEqual(sink.ids, ['2']);
  });

  test('an unknown id replays all history by default', async () => {
    const channel = new Channel({ history: new MemoryHistory() });
    for (const data of ['a', 'b']) channel.broadcast(data);
    const { sink, session } = connect('gone');
    channel.join(session);
    await nextTick();
    assert.deepEqual(sink.ids, ['1', '2']);
  });

  test('an unknown id is reported to the hook, which can replay none', async () => {
    const reported: string[] = [];
    const channel = new Channel({
      history: new MemoryHistory(),
      onUnknownLastEventId: (_session, id) => {
        reported.push(id);
        return 'none';
      },
    });
    channel.broadcast('a');
    const { sink, session } = connect('gone');
    channel.join(session);
    channel.broadcast('b');
    await nextTick();
    assert.deepEqual(reported, ['gone']);
    assert.deepEqual(sink.ids, ['2']);
  });

  test('an expired id can be answered with a reset event', async () => {
    const channel = new Channel({
      history: new MemoryHistory({ maxEvents: 2 }),
      onUnknownLastEventId: () => ({ reset: { event: 'reset', data: 'reload' } }),
    });
    for (const data of ['a', 'b', 'c']) channel.broadcast(data);
    const { sink, session } = connect('1');
    channel.join(session);
    channel.broadcast('d');
    await nextTick();
    assert.deepEqual(
      sink.events.map((event) => event.type),
      ['reset', 'message'],
    );
    assert.equal(sink.events[1]?.data, '"d"');
  });

  test('a client whose id was trimmed away by a large event is reported to the hook, whose decision applies', async () => {
    const reported: string[] = [];
    const channel = new Channel({
      history: new MemoryHistory({ maxBytes: 100 }),
      onUnknownLastEventId: (_session, id) => {
        reported.push(id);
        return 'all';
      },
    });
    for (const data of ['a', 'b']) channel.broadcast(data);
    channel.broadcast('x'.repeat(200));
    const { sink, session } = connect('1');
    channel.join(session);
    await nextTick();
    assert.deepEqual(reported, ['1']);
    assert.deepEqual(sink.ids, ['3'], 'the large event that pushed the id out is replayed');
  });

  test('a replay filter hides stored events from sessions not meant to see them', async () => {
    const channel = new Channel<{ message: string }, { admin: boolean }>({
      history: new MemoryHistory(),
      replayFilter: (event, session) => event.meta !== 'private' || session.state.admin,
    });
    channel.broadcast('public');
    channel.broadcast('secret', { meta: 'private', filter: (session) => session.state.admin });
    channel.broadcast('public again');
    const user = new MemorySink();
    const admin = new MemorySink();
    channel.join(new Session(user, quiet, { lastEventId: '1', state: { admin: false } }));
    channel.join(new Session(admin, quiet, { lastEventId: '1', state: { admin: true } }));
    await nextTick();
    assert.deepEqual(user.data, ['"public again"']);
    assert.deepEqual(admin.data, ['"secret"', '"public again"']);
  });
});
