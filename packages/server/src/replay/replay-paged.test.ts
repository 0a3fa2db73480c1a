import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { encodeEventBytes } from '@spout/protocol';
import { Session } from '../session/session.ts';
import { MemorySink, ReadingSink } from '../testing/memory-sink.ts';
import type { Positioned } from './catch-up.ts';
import { type ReplayPacing, type ReplaySource, replayPaged } from './replay-paged.ts';

/** History of `count` events with ids 1..count at positions 1..count, `size` bytes of data each. */
function history(count: number, size = 40): Positioned[] {
  return Array.from({ length: count }, (_, i) => ({
    position: i + 1,
    bytes: encodeEventBytes({ id: String(i + 1), data: 'x'.repeat(size) }),
  }));
}

/** A source over `items` that records the pages it is asked for and sends through `session`. */
function sourceOf(
  items: readonly Positioned[],
  session: Session,
  keep: (item: Positioned) => boolean = () => true,
) {
  const pages: { after: number; limit: number }[] = [];
  const source: ReplaySource<Positioned> = {
    readPage: (after, limit) => {
      pages.push({ after, limit });
      return items.filter((item) => item.position > after).slice(0, limit);
    },
    positionOf: (item) => item.position,
    bytesOf: (item) => (keep(item) ? item.bytes : undefined),
    send: (item) => session.sendBytes(item.bytes),
  };
  return { source, pages };
}

/** A session over a client that reads one write per turn. */
function reading(maxBufferedBytes = 1000) {
  const sink = new ReadingSink();
  const session = new Session(sink, { heartbeatInterval: 0, maxBufferedBytes });
  sink.onDrain = () => session.drained();
  return { sink, session };
}

const pacing: ReplayPacing = { pageSize: 10, highWaterBytes: 500, stallMs: 5_000 };
const ids = (count: number, from = 0) => Array.from({ length: count - from }, (_, i) => String(from + i + 1));

describe('replayPaged', () => {
  test('sends every item after the start, in order, to a client that reads: no gap, no duplicate', async () => {
    const { sink, session } = reading();
    const { source } = sourceOf(history(60), session);
    const outcome = await replayPaged(session, source, { after: 5 }, pacing);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(outcome, { end: 'done', sent: 55 });
    assert.deepEqual(sink.ids, ids(60, 5));
    assert.equal(session.isOpen, true);
  });

  test('reads page by page and stops at the first short page', async () => {
    const { session } = reading(1 << 20);
    const { source, pages } = sourceOf(history(25, 1), session);
    await replayPaged(session, source, { after: 0 }, { ...pacing, highWaterBytes: 1 << 20 });
    assert.deepEqual(pages, [
      { after: 0, limit: 10 },
      { after: 10, limit: 10 },
      { after: 20, limit: 10 },
    ]);
  });

  test('starts from a first page read beforehand without reading it again', async () => {
    const { sink, session } = reading(1 << 20);
    const items = history(3, 1);
    const { source, pages } = sourceOf(items, session);
    await replayPaged(session, source, { after: 0, firstPage: items }, pacing);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(pages, []);
    assert.deepEqual(sink.ids, ['1', '2', '3']);
  });

  test('skips the items bytesOf leaves out and counts only those sent', async () => {
    const { sink, session } = reading();
    const { source } = sourceOf(history(10), session, (item) => item.position % 2 === 0);
    const outcome = await replayPaged(session, source, { after: 0 }, pacing);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(outcome.sent, 5);
    assert.deepEqual(sink.ids, ['2', '4', '6', '8', '10']);
  });

  test('never leaves more than highWaterBytes unsent for the client', async () => {
    const { session } = reading();
    let most = 0;
    const { source } = sourceOf(history(60), session);
    const send = source.send;
    source.send = (item, bytes) => {
      const sent = send(item, bytes);
      most = Math.max(most, session.bufferedBytes);
      return sent;
    };
    await replayPaged(session, source, { after: 0 }, pacing);
    assert.ok(most <= pacing.highWaterBytes, `${most} bytes buffered`);
  });

  test('[policy] ends stalled when the client takes nothing for stallMs', async () => {
    const sink = new MemorySink();
    sink.full = true;
    const session = new Session(sink, { heartbeatInterval: 0, maxBufferedBytes: 1000 });
    const { source } = sourceOf(history(60), session);
    const outcome = await replayPaged(session, source, { after: 0 }, { ...pacing, stallMs: 20 });
    assert.equal(outcome.end, 'stalled');
    assert.ok(outcome.sent < 60);
  });

  test('stops when the reader is no longer wanted', async () => {
    const { session } = reading();
    const { source } = sourceOf(history(60), session);
    let left = 3;
    source.wanted = () => left-- > 0;
    const outcome = await replayPaged(session, source, { after: 0 }, pacing);
    assert.deepEqual(outcome, { end: 'stopped', sent: 3 });
  });

  test('stops when the stream closes', async () => {
    const { session } = reading();
    const { source } = sourceOf(history(60), session);
    const send = source.send;
    source.send = (item, bytes) => {
      if (item.position === 4) session.close();
      return send(item, bytes);
    };
    const outcome = await replayPaged(session, source, { after: 0 }, pacing);
    assert.deepEqual(outcome, { end: 'stopped', sent: 3 });
  });
});
