import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailableError } from '../store/errors.ts';
import { createMemoryStore } from '../store/index.ts';
import { overrideStore } from '../store/testing/override.ts';
import type { UpdateStore } from '../store/types.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

const TOPIC = 'https://example.com/resume';

/** A memory store whose reads fail while `down` is set, as Redis does when it is unreachable. */
function storeThatGoesDown(): { store: UpdateStore; setDown(down: boolean): void } {
  const store = createMemoryStore();
  let down = false;
  const unavailable = () =>
    new StoreUnavailableError('Redis did not answer a read: ECONNREFUSED', false, undefined);
  const wrapped = overrideStore(store, {
    positionOf: (id) => (down ? Promise.reject(unavailable()) : store.positionOf(id)),
    readAfter: (after, limit) => (down ? Promise.reject(unavailable()) : store.readAfter(after, limit)),
  });
  return { store: wrapped, setDown: (value) => (down = value) };
}

async function subscriberCount(hubUrl: string): Promise<number> {
  const health = (await (await fetch(new URL('/healthz', hubUrl))).json()) as { subscribers: number };
  return health.subscribers;
}

describe('a resume while the store cannot answer', () => {
  for (const lastEventId of ['known', 'unknown-id', 'earliest']) {
    it(`answers 503 with Retry-After and a reason for Last-Event-ID "${lastEventId}", not 500`, async () => {
      const { store, setDown } = storeThatGoesDown();
      const hub = await startTestHub({ store, anonymous: true });
      try {
        const token = await hub.token({ publish: ['*'] });
        assert.equal((await hub.publish({ topic: TOPIC, id: 'known', data: 'a' }, token)).status, 200);
        setDown(true);
        const answer = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': lastEventId });
        assert.equal(answer.status, 503);
        assert.ok(Number(answer.headers['retry-after']) > 0);
        assert.match(await answer.text(), /store is unavailable/);
      } finally {
        await hub.close();
      }
    });
  }

  it('[invariant] frees the subscriber place of every failed resume: 60 failures never lock an address out', async () => {
    const { store, setDown } = storeThatGoesDown();
    const hub = await startTestHub({ store, anonymous: true, limits: { maxSubscribersPerAddress: 50 } });
    try {
      setDown(true);
      for (let i = 0; i < 60; i++) {
        const answer = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': 'earliest' });
        assert.equal(answer.status, 503, `attempt ${i}`);
        await answer.text();
      }
      assert.equal(await subscriberCount(hub.hubUrl), 0);
      setDown(false);
      const stream = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': 'earliest' });
      assert.equal(stream.status, 200);
      stream.close();
    } finally {
      await hub.close();
    }
  });
});
