import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventFields } from '@spout/protocol';
import type { HistoryStore, StoredEvent } from '../history/history-store.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { Session } from '../session/session.ts';
import { nextTick, ReadingSink } from '../testing/memory-sink.ts';
import { Channel } from './channel.ts';
import { REPLAY_PAGE } from './pacing.ts';

/** Ids `from + 1` to `to`, as strings. */
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + 1 + i));

/** A memory history that records the limit of every page read. */
class PageCountingHistory extends MemoryHistory {
  readonly limits: number[] = [];
  override readPage(after: number, limit: number): readonly StoredEvent[] {
    this.limits.push(limit);
    return super.readPage(after, limit);
  }
}

/** A channel whose history holds `count` events of about 50 bytes, ids 1 to count. */
function channelWith(count: number, history: HistoryStore = new MemoryHistory({ maxEvents: 10_000 })) {
  const channel = new Channel({ history, serialize: String });
  for (let i = 0; i < count; i++) channel.broadcast('x'.repeat(40));
  return channel;
}

/** A session over a client that reads one write per turn, resuming after `lastEventId`, with a 1,000-byte cap. */
function reader(lastEventId: string) {
  const sink = new ReadingSink();
  const session = new Session(sink, { heartbeatInterval: 0, maxBufferedBytes: 1000 }, { lastEventId });
  sink.onDrain = () => session.drained();
  return { sink, session };
}

describe('a channel replay read page by page', () => {
  test('a replay larger than a page is read in pages of at most REPLAY_PAGE events and reaches the client', async () => {
    const history = new PageCountingHistory({ maxEvents: 10_000 });
    const total = REPLAY_PAGE * 2 + 10;
    const channel = channelWith(total, history);
    const { sink, session } = reader('1');
    await channel.join(session);
    await nextTick();
    assert.equal(session.isOpen, true);
    assert.deepEqual(sink.ids, range(1, total));
    assert.ok(history.limits.length >= 3, `pages read: ${history.limits.length}`);
    assert.ok(history.limits.every((limit) => limit <= REPLAY_PAGE));
  });

  test('a replay paced by a slow reader ends live with no gap and no duplicate while broadcasts happen', async () => {
    const total = REPLAY_PAGE * 2 + 10;
    const channel = channelWith(total);
    const { sink, session } = reader('5');
    let joined = false;
    const joining = channel.join(session).then(() => {
      joined = true;
    });
    let live = 0;
    for (; !joined; live++) {
      channel.broadcast('live');
      await nextTick();
    }
    await joining;
    await channel.broadcast('after');
    await nextTick();
    await nextTick();
    assert.equal(session.isOpen, true);
    assert.ok(live > 1, 'broadcasts happened during the replay');
    assert.deepEqual(sink.ids, range(5, total + live + 1));
  });

  test('[policy] a client whose replay the history trims past is closed with "server", having received no gap', async () => {
    const channel = channelWith(300, new MemoryHistory({ maxEvents: 300 }));
    const { sink, session } = reader('1');
    const joining = channel.join(session);
    await nextTick();
    for (let i = 0; i < 400; i++) channel.broadcast('live');
    assert.equal(await session.closed, 'server');
    await joining;
    assert.equal(channel.has(session), false);
    assert.ok(sink.ids.length > 0);
    assert.deepEqual(sink.ids, range(1, 1 + sink.ids.length));
  });
});

/** A store over the network whose appends are confirmed only when the test says so. */
class HeldBackHistory implements HistoryStore {
  readonly inner = new MemoryHistory();
  readonly #confirmations: (() => void)[] = [];
  async append(fields: EventFields, meta?: unknown): Promise<StoredEvent> {
    const stored = this.inner.append(fields, meta);
    await new Promise<void>((resolve) => this.#confirmations.push(resolve));
    return stored;
  }
  async positionOf(id: string): Promise<number | undefined> {
    return this.inner.positionOf(id);
  }
  async readPage(after: number, limit: number): Promise<readonly StoredEvent[]> {
    return this.inner.readPage(after, limit);
  }
  async trim(): Promise<void> {}
  /** Confirms the appends waiting. */
  confirm(): void {
    for (const confirm of this.#confirmations.splice(0)) confirm();
  }
}

test('a client resuming from an event still on its way out to the channel does not get it again', async () => {
  const history = new HeldBackHistory();
  const channel = new Channel({ history, serialize: String });
  const sent = channel.broadcast('a');
  const { sink, session } = reader('1');
  const joining = channel.join(session);
  await nextTick();
  history.confirm();
  await sent;
  await joining;
  const next = channel.broadcast('b');
  await nextTick();
  history.confirm();
  await next;
  await nextTick();
  assert.deepEqual(sink.ids, ['2']);
});
