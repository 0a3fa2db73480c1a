import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { MemorySink, nextTick } from '../testing/memory-sink.ts';
import { heartbeatTimerCount } from './heartbeat.ts';
import { Session } from './session.ts';

const quiet = { heartbeatInterval: 0 };
const run = promisify(execFile);

describe('Session', () => {
  test('coalesces the events of one tick into a single write', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, quiet);
    session.send(1);
    session.send(2);
    session.comment('c');
    session.send(3);
    assert.equal(sink.chunks.length, 0, 'nothing is written before the tick ends');
    await nextTick();
    assert.equal(sink.chunks.length, 1);
    assert.deepEqual(sink.data, ['1', '2', '3']);
    session.close();
  });

  test('stops writing while the transport reports a full buffer, resumes on drain', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, quiet);
    sink.full = true;
    session.send('a');
    await nextTick();
    assert.equal(sink.chunks.length, 1);
    session.send('b');
    session.send('c');
    await nextTick();
    assert.equal(sink.chunks.length, 1, 'write() returned false: nothing more is written');
    assert.ok(session.bufferedBytes > 0);
    sink.full = false;
    sink.writableLength = 0;
    session.drained();
    assert.deepEqual(sink.data, ['"a"', '"b"', '"c"']);
    session.close();
  });

  test('[policy] closes with "overflow" once queued bytes pass maxBufferedBytes', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, { ...quiet, maxBufferedBytes: 100 });
    sink.full = true;
    session.send('x'.repeat(40));
    await nextTick();
    assert.equal(session.isOpen, true);
    assert.equal(session.send('y'.repeat(40)), true);
    assert.equal(session.send('z'.repeat(40)), false);
    assert.equal(session.isOpen, false);
    assert.equal(await session.closed, 'overflow');
    assert.equal(sink.destroyed, true, 'an overflowing stream is aborted, not ended cleanly');
  });

  test('[policy] one event larger than maxBufferedBytes, alone in an empty buffer, is delivered', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, { ...quiet, maxBufferedBytes: 100 });
    sink.full = true;
    assert.equal(session.send('x'.repeat(400)), true);
    await nextTick();
    assert.equal(session.isOpen, true, 'the cap bounds what waits behind an event, not the event itself');
    assert.equal(session.send('y'), false, 'anything queued behind it is over the cap');
    assert.equal(await session.closed, 'overflow');
  });

  test('[policy] a large shared write into an empty transport is delivered, not an overflow', () => {
    const sink = new MemorySink();
    const session = new Session(sink, { ...quiet, maxBufferedBytes: 100 });
    sink.full = true;
    assert.equal(session.writeShared(new Uint8Array(400).fill(0x3a)), true);
    assert.equal(session.isOpen, true);
    session.close();
  });

  test('whenWritable resolves at once when nothing waits', async () => {
    const session = new Session(new MemorySink(), quiet);
    await session.whenWritable();
    session.close();
  });

  test('whenWritable waits for the transport to drain and the queue to be written', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, quiet);
    sink.full = true;
    session.send('a');
    await nextTick();
    session.send('b');
    let writable = false;
    const wait = session.whenWritable().then(() => {
      writable = true;
    });
    await nextTick();
    assert.equal(writable, false, 'the transport refused the last write');
    sink.full = false;
    sink.writableLength = 0;
    session.drained();
    await wait;
    assert.deepEqual(sink.data, ['"a"', '"b"'], 'the queue was written before the signal');
    session.close();
  });

  test('whenWritable resolves when the session ends while waiting', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, quiet);
    sink.full = true;
    session.send('a');
    await nextTick();
    const wait = session.whenWritable();
    session.disconnected();
    await wait;
    assert.equal(session.isOpen, false);
  });

  test('close() writes queued events before ending the transport', () => {
    const sink = new MemorySink();
    const session = new Session(sink, quiet);
    session.send('queued');
    session.close({ event: 'bye', data: '' });
    assert.deepEqual(
      sink.events.map((event) => event.type),
      ['message', 'bye'],
    );
    assert.equal(sink.ended, true);
    assert.equal(session.closeReason, 'server');
  });

  test('closed resolves even when read after the session ended', async () => {
    const session = new Session(new MemorySink(), quiet);
    session.disconnected();
    assert.equal(await session.closed, 'client');
  });

  test('a transport error closes with "error"', async () => {
    const session = new Session(new MemorySink(), quiet);
    session.disconnected(new Error('ECONNRESET'));
    assert.equal(await session.closed, 'error');
  });

  test('a close listener that throws is reported as uncaught, and the others and `closed` still hear the end', async () => {
    // Run apart: the error is rethrown outside the session, as an EventEmitter's would be, and the
    // test runner would count it against this file.
    const script = `
      const { Session } = await import(${JSON.stringify(import.meta.resolve('./session.ts'))});
      const { MemorySink } = await import(${JSON.stringify(import.meta.resolve('../testing/memory-sink.ts'))});
      const session = new Session(new MemorySink(), { heartbeatInterval: 0 });
      const heard = [];
      process.once('uncaughtException', (error) => heard.push('uncaught: ' + error.message));
      const closed = session.closed;
      session.onClose(() => { throw new Error('listener failed'); });
      session.onClose((reason) => heard.push('listener: ' + reason));
      session.close();
      heard.push('closed: ' + (await closed));
      await new Promise((resolve) => setImmediate(resolve));
      console.log(JSON.stringify(heard));`;
    const { stdout } = await run(process.execPath, [
      ...process.execArgv,
      '--input-type=module',
      '-e',
      script,
    ]);
    assert.deepEqual(JSON.parse(stdout), ['listener: server', 'uncaught: listener failed', 'closed: server']);
  });

  test('`closed` settles before the close listeners run', async () => {
    const session = new Session(new MemorySink(), quiet);
    const heard: string[] = [];
    session.onClose(() => queueMicrotask(() => heard.push('listener')));
    void session.closed.then(() => heard.push('closed'));
    session.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(heard, ['closed', 'listener']);
  });

  test('onClose runs at once for a session already closed', () => {
    const session = new Session(new MemorySink(), quiet);
    session.close();
    const heard: string[] = [];
    session.onClose((reason) => heard.push(reason));
    assert.deepEqual(heard, ['server']);
  });

  test('type-checks event data against the event map', async () => {
    type Events = { price: number; news: { title: string } };
    const sink = new MemorySink();
    const session = new Session<Events>(sink, quiet);
    session.emit('price', 187.2);
    session.send({ title: 'up' }, { event: 'news' });
    // @ts-expect-error a price is a number
    session.emit('price', 'expensive');
    // @ts-expect-error no such event in the map
    session.emit('weather', 1);
    // @ts-expect-error news data needs a title
    session.send({ headline: 'x' }, { event: 'news' });
    await nextTick();
    assert.equal(sink.events.length, 5, 'types do not change what is sent at run time');
    session.close();
  });

  test('keeps application state', () => {
    const session = new Session<{ a: number }, { user: string }>(new MemorySink(), quiet, {
      state: { user: 'ada' },
    });
    assert.equal(session.state.user, 'ada');
    session.close();
  });

  test('rejects invalid options with a clear error', () => {
    assert.throws(() => new Session(new MemorySink(), { maxBufferedBytes: 0 }), /maxBufferedBytes.*>= 1/);
    assert.throws(() => new Session(new MemorySink(), { heartbeatInterval: -5 }), /heartbeatInterval/);
  });

  test('[spec] rejects an id with a line break instead of corrupting the stream', () => {
    const session = new Session(new MemorySink(), quiet);
    assert.throws(() => session.send('x', { id: 'a\nb' }), { name: 'EventEncodingError' });
    session.close();
  });
});

describe('heartbeat', () => {
  test('all sessions share one timer per interval, stopped when the last leaves', async () => {
    const before = heartbeatTimerCount();
    const sinks = Array.from({ length: 50 }, () => new MemorySink());
    const sessions = sinks.map((sink) => new Session(sink, { heartbeatInterval: 20 }));
    assert.equal(heartbeatTimerCount(), before + 1);
    await new Promise((resolve) => setTimeout(resolve, 70));
    await nextTick();
    for (const sink of sinks) assert.ok(sink.comments.length >= 1, 'every idle session got a heartbeat');
    for (const session of sessions) session.close();
    assert.equal(heartbeatTimerCount(), before);
  });

  test('skips sessions that wrote since the last beat', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, { heartbeatInterval: 60_000 });
    session.send('traffic');
    session.beat();
    await nextTick();
    assert.equal(sink.comments.length, 0, 'active since the last beat: no comment');
    session.beat();
    await nextTick();
    assert.equal(sink.comments.length, 1, 'idle for a whole interval: one comment');
    session.close();
  });
});

describe('Session.writeShared', () => {
  test('writes at once when nothing is queued, and queues behind pending bytes otherwise', async () => {
    const sink = new MemorySink();
    const session = new Session(sink, quiet);
    const shared = new TextEncoder().encode('data: shared\n\n');
    assert.equal(session.writeShared(shared), true);
    assert.equal(sink.chunks[0], shared, 'the very same bytes, not a copy');
    session.send('queued');
    session.writeShared(shared);
    assert.equal(sink.chunks.length, 1, 'behind a queued event: waits for the flush');
    await nextTick();
    assert.deepEqual(sink.data, ['shared', '"queued"', 'shared']);
    session.close();
    assert.equal(session.writeShared(shared), false);
  });
});
