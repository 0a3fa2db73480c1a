import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { EventFields } from '@spout/protocol';
import type { HistoryStore, StoredEvent } from '../history/history-store.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { Session } from '../session/session.ts';
import { MemorySink, nextTick } from '../testing/memory-sink.ts';
import { openStream, startHttpServer, type TestServer } from '../testing/sse-client.ts';
import { createSession } from '../transports/node.ts';
import { Channel } from './channel.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const jitter = () => sleep(Math.floor(Math.random() * 3));

/**
 * An asynchronous store (like one over the network): an append is stored at
 * once but confirmed later, and a read takes its snapshot at a random moment.
 */
class SlowHistory implements HistoryStore {
  readonly inner = new MemoryHistory({ maxEvents: 10_000 });
  async append(fields: EventFields, meta?: unknown): Promise<StoredEvent> {
    const stored = this.inner.append(fields, meta);
    await jitter();
    return stored;
  }
  async positionOf(id: string): Promise<number | undefined> {
    await jitter();
    return this.inner.positionOf(id);
  }
  async readPage(after: number, limit: number): Promise<readonly StoredEvent[]> {
    await jitter();
    const read = this.inner.readPage(after, limit);
    await jitter();
    return read;
  }
  async trim(): Promise<void> {}
}

/** Ids `from + 1` to `to`, as strings. */
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => String(from + 1 + i));

describe('replay under a concurrent publisher', () => {
  test('no gap and no duplicate with an asynchronous store', async () => {
    const channel = new Channel({ history: new SlowHistory() });
    const total = 300;
    const clients: { sink: MemorySink; from: number }[] = [];
    const joins: Promise<void>[] = [];
    const publishing = (async () => {
      for (let i = 1; i <= total; i++) {
        void channel.broadcast(i);
        if (i % 3 === 0) await jitter();
      }
    })();
    // Sessions join while the publisher runs, each resuming from an id already published.
    for (let k = 0; k < 40; k++) {
      await sleep(1);
      const published = Number((channel.history as SlowHistory).inner.readAll().at(-1)?.id ?? 0);
      if (published === 0) continue;
      const from = Math.floor(Math.random() * published) + 1;
      const sink = new MemorySink();
      clients.push({ sink, from });
      joins.push(channel.join(new Session(sink, { heartbeatInterval: 0 }, { lastEventId: String(from) })));
    }
    await publishing;
    await channel.broadcast('last');
    await Promise.all(joins);
    await nextTick();
    assert.ok(clients.length > 10);
    for (const { sink, from } of clients)
      assert.deepEqual(sink.ids, range(from, total + 1), `resuming after ${from}`);
  });

  describe('over node:http with the in-memory store', () => {
    let server: TestServer;
    after(() => server?.close());

    test('clients reconnecting with Last-Event-ID during a broadcast storm see every event once, in order', async () => {
      const channel = new Channel({ history: new MemoryHistory({ maxEvents: 10_000 }) });
      server = await startHttpServer((req, res) => {
        channel.join(createSession(req, res, { heartbeatInterval: 0 }));
      });
      let published = 0;
      let running = true;
      const publisher = (async () => {
        while (running) {
          published = Number(await channel.broadcast({ n: published + 1 }));
          if (published % 5 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      await sleep(5);
      const clients = [];
      for (let k = 0; k < 8; k++) {
        const from = Math.max(1, published - 20 * k);
        clients.push({ from, stream: await openStream(server.url, { 'last-event-id': String(from) }) });
      }
      running = false;
      await publisher;
      for (const { from, stream } of clients) {
        const events = await stream.waitForEvents(published - from);
        assert.deepEqual(
          events.map((event) => event.lastEventId),
          range(from, published),
        );
        stream.abort();
      }
    });
  });
});
