import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createParser, type EventFields } from '@spout/protocol';
import { ANONYMOUS } from '../auth/index.ts';
import { createMemoryStore } from '../store/index.ts';
import { overrideStore } from '../store/testing/override.ts';
import type { StoredUpdate, UpdateStore } from '../store/types.ts';
import { parseSelector } from '../topics/index.ts';
import { HubCore, type HubCoreOptions, type SubscribeRequest } from './core.ts';
import { HubClosingError, HubFullError, SubscriptionClosedError } from './errors.ts';
import type { ReplayStart } from './replay.ts';
import type { EventStream } from './subscriber.ts';
import { SUBSCRIPTIONS_PATH } from './subscription-events.ts';

/** An event stream with no HTTP behind it: records the ids it receives and how it was closed. */
class FakeStream implements EventStream {
  readonly ids: string[] = [];
  readonly #parser = createParser({ onEvent: (event) => this.ids.push(event.lastEventId) });
  readonly #listeners: ((reason: string) => void)[] = [];
  bufferedBytes = 0;
  isOpen = true;
  finalEvent: EventFields | undefined;
  sendBytes(bytes: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.#parser.feed(bytes);
    return true;
  }
  writeShared(bytes: Uint8Array): boolean {
    return this.sendBytes(bytes);
  }
  close(finalEvent?: EventFields): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.finalEvent = finalEvent;
    for (const listener of this.#listeners) listener('server');
  }
  abortReason: string | undefined;
  abort(reason: 'overflow'): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.abortReason = reason;
    for (const listener of this.#listeners) listener(reason);
  }
  /** The client goes away. */
  leave(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const listener of this.#listeners) listener('client');
  }
  onClose(listener: (reason: string) => void): void {
    this.#listeners.push(listener);
  }
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }
}

/** A client that stopped reading: what it is sent stays buffered, and it never drains. */
class StalledStream extends FakeStream {
  override sendBytes(bytes: Uint8Array): boolean {
    if (this.isOpen) this.bufferedBytes += bytes.byteLength;
    return super.sendBytes(bytes);
  }
  override whenWritable(): Promise<void> {
    return new Promise(() => {});
  }
}

function coreOn(store: UpdateStore, options: Omit<HubCoreOptions, 'store'> = {}): Promise<HubCore> {
  return new HubCore({ store, ...options }).start();
}

function request(topics: string[], extra: Partial<SubscribeRequest> = {}): SubscribeRequest {
  return { selectors: topics.map(parseSelector), claims: ANONYMOUS, address: '10.0.0.1', ...extra };
}

function update(id: string, topic = 'https://e.com/a') {
  return { id, topics: [topic], data: id, private: false };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await delay(5);
  assert.ok(check(), `timed out waiting for ${what}`);
}

async function disconnects(core: HubCore, cause: string): Promise<number> {
  const metric = await core.metrics.disconnects.get();
  return metric.values.find((value) => value.labels['cause'] === cause)?.value ?? 0;
}

describe('HubCore', () => {
  it('replays after the Last-Event-ID, then delivers live updates: no gap, no duplicate', async () => {
    const core = await coreOn(createMemoryStore());
    await core.publish([update('1'), update('2'), update('3')]);
    const stream = new FakeStream();
    let start: ReplayStart | undefined;
    await core.subscribe(request(['https://e.com/a'], { lastEventId: '1' }), (at) => {
      start = at;
      return stream;
    });
    assert.equal(start?.header, '1');
    assert.deepEqual(stream.ids, ['2', '3']);
    await core.publish([update('4'), update('5', 'https://e.com/other')]);
    await until(() => stream.ids.length === 3, 'the live update');
    assert.deepEqual(stream.ids, ['2', '3', '4']);
    await core.close();
  });

  it('opens a stream with no replay start when there is no Last-Event-ID', async () => {
    const core = await coreOn(createMemoryStore());
    await core.publish([update('1')]);
    const stream = new FakeStream();
    const starts: (ReplayStart | undefined)[] = [];
    const subscriber = await core.subscribe(request(['*']), (at) => {
      starts.push(at);
      return stream;
    });
    assert.deepEqual(starts, [undefined]);
    assert.equal(subscriber.replaying, false);
    assert.deepEqual(stream.ids, []);
    assert.equal(core.dispatcher.size, 1);
    stream.leave();
    assert.equal(core.dispatcher.size, 0);
    assert.equal(await disconnects(core, 'client'), 1);
    await core.close();
  });

  it('[policy] aborts a subscriber that reads nothing of its replay for replayStallTimeout with "overflow", as a Channel does', async () => {
    const core = await coreOn(createMemoryStore(), {
      limits: { subscriberQueueBytes: 1024, replayStallTimeout: 20 },
    });
    await core.publish(Array.from({ length: 50 }, (_, i) => update(String(i + 1))));
    const stream = new StalledStream();
    await core.subscribe(request(['https://e.com/a'], { lastEventId: 'earliest' }), () => stream);
    assert.equal(stream.abortReason, 'overflow');
    assert.ok(stream.ids.length < 50, 'the replay stopped');
    assert.equal(await disconnects(core, 'overflow'), 1);
    await core.close();
  });

  it('refuses subscribers over the limits with HubFullError, and counts none of them', async () => {
    const core = await coreOn(createMemoryStore(), {
      limits: { maxSubscribers: 2, maxSubscribersPerAddress: 1 },
    });
    await core.subscribe(request(['*']), () => new FakeStream());
    await assert.rejects(
      core.subscribe(request(['*']), () => new FakeStream()),
      (error: unknown) =>
        error instanceof HubFullError &&
        /10\.0\.0\.1 has 1 subscriptions open \(setting maxSubscribersPerAddress\)/.test(error.message),
    );
    await core.subscribe(request(['*'], { address: '10.0.0.2' }), () => new FakeStream());
    await assert.rejects(
      core.subscribe(request(['*'], { address: '10.0.0.3' }), () => new FakeStream()),
      (error: unknown) => error instanceof HubFullError && /setting maxSubscribers\)/.test(error.message),
    );
    assert.equal(core.dispatcher.size, 2);
    await core.close();
  });

  it('[invariant] never sends a live update at or before the Last-Event-ID, even when the live feed lags behind the store', async () => {
    const memory = createMemoryStore();
    // The feed of another process (a worker's IPC, a Redis node) hears updates after the store has them.
    let feed: ((update: StoredUpdate) => void) | undefined;
    const store = overrideStore(memory, {
      watch: (listener) => {
        feed = listener;
        return () => {};
      },
    });
    const core = await coreOn(store);
    const stored = await memory.append([update('1'), update('2'), update('3')]);
    const stream = new FakeStream();
    await core.subscribe(request(['*'], { lastEventId: '3' }), () => stream);
    for (const late of stored) feed!(late);
    const [fourth] = await memory.append([update('4')]);
    feed!(fourth!);
    await delay(10);
    assert.deepEqual(stream.ids, ['4']);
    await core.close();
  });

  it('registers the subscriber before reading history: an update published meanwhile is not lost', async () => {
    const store = createMemoryStore();
    const core = await coreOn(store);
    await core.publish([update('1'), update('2')]);
    const readAfter = store.readAfter.bind(store);
    let published = false;
    // An update is published and dispatched right after the replay read its page of history.
    store.readAfter = async (position, limit) => {
      const page = await readAfter(position, limit);
      if (!published) {
        published = true;
        await core.publish([update('3')]);
        await delay(20);
      }
      return page;
    };
    const stream = new FakeStream();
    await core.subscribe(request(['*'], { lastEventId: '1' }), () => stream);
    await until(() => stream.ids.length >= 2, 'the update published while history was located');
    await delay(20);
    assert.deepEqual(stream.ids, ['2', '3']);
    await core.close();
  });

  it('does not count a subscription whose history cannot be located, and passes the store error on', async () => {
    const store = createMemoryStore();
    const core = await coreOn(store);
    store.positionOf = () => Promise.reject(new Error('store down'));
    let opened = false;
    await assert.rejects(
      core.subscribe(request(['*'], { lastEventId: 'x' }), () => {
        opened = true;
        return new FakeStream();
      }),
      /store down/,
    );
    assert.equal(opened, false);
    assert.equal(core.dispatcher.size, 0);
    await core.close();
  });

  it('refuses with SubscriptionClosedError when closed while history was located', async () => {
    const store = createMemoryStore();
    const core = await coreOn(store);
    const positionOf = store.positionOf.bind(store);
    store.positionOf = async (id) => {
      for (const subscriber of core.dispatcher.all()) core.closeSubscriber(subscriber, 'overflow');
      return positionOf(id);
    };
    await assert.rejects(
      core.subscribe(request(['*'], { lastEventId: 'x' }), () => new FakeStream()),
      SubscriptionClosedError,
    );
    assert.equal(core.dispatcher.size, 0);
    await core.close();
  });

  it('closes the stream when the token expires', async () => {
    const core = await coreOn(createMemoryStore());
    const stream = new FakeStream();
    await core.subscribe(request(['*'], { expiresAt: Date.now() + 30 }), () => stream);
    assert.equal(stream.isOpen, true);
    await until(() => !stream.isOpen, 'the expiry');
    assert.equal(await disconnects(core, 'expired'), 1);
    assert.equal(core.dispatcher.size, 0);
    await core.close();
  });

  it('publishes subscription events when a subscription starts and ends', async () => {
    const store = createMemoryStore();
    const core = await coreOn(store, { subscriptions: true });
    const stream = new FakeStream();
    const subscriber = await core.subscribe(request(['https://e.com/a']), () => stream);
    stream.leave();
    await until(() => core.dispatcher.last?.position === 2, 'both subscription events');
    const events = await store.readAfter(0, 10);
    assert.equal(events.length, 2);
    for (const event of events) {
      assert.ok(event.topics[0]!.startsWith(`${SUBSCRIPTIONS_PATH}/`));
      assert.ok(event.topics[0]!.includes(encodeURIComponent(subscriber.id)));
      assert.equal(event.private, true);
    }
    assert.deepEqual(
      events.map((event) => (JSON.parse(event.data) as { active: boolean }).active),
      [true, false],
    );
    await core.close();
  });

  it('closes every subscriber with a retry hint at shutdown, then refuses new ones with HubClosingError', async () => {
    const core = await coreOn(createMemoryStore(), { shutdownRetryMs: 100 });
    const stream = new FakeStream();
    await core.subscribe(request(['*']), () => stream);
    await core.close();
    assert.equal(stream.isOpen, false);
    const retry = stream.finalEvent?.retry ?? 0;
    assert.ok(retry >= 100 && retry < 200, `retry ${retry}`);
    assert.equal(await disconnects(core, 'shutdown'), 1);
    assert.equal(core.closing, true);
    await assert.rejects(
      core.subscribe(request(['*']), () => new FakeStream()),
      HubClosingError,
    );
  });
});
