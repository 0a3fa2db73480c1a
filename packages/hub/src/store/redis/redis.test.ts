import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { StoreError, WatchGapError } from '../errors.ts';
import { collect, describeStoreConformance, makeUpdate } from '../testing/conformance.ts';
import { freshPrefix, useRedis, waitUntil } from '../testing/redis-fixture.ts';
import type { StoredUpdate, UpdateStore } from '../types.ts';
import { createRedisStore } from './redis.ts';

const redis = useRedis();

describeStoreConformance('redis', async () => {
  return {
    // Every store on fresh keys, like a fresh file or a fresh memory store.
    open: (retention) =>
      createRedisStore({ ...retention, url: redis.server().url, keyPrefix: freshPrefix() }),
    // Retention uses the Redis server's clock: really wait.
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 50)),
    maxAgeMs: 1000,
    dispose: async () => {},
  };
});

describe('redis store', { timeout: 300_000 }, () => {
  const open = redis.open;

  it('two nodes see each other’s appends in the same total order, and lose nothing acknowledged', async () => {
    const keyPrefix = freshPrefix();
    const [a, b] = await Promise.all([open({ keyPrefix }), open({ keyPrefix })]);
    const total = 400;
    const seenByA = collect(a, total);
    const seenByB = collect(b, total);
    const acknowledged: StoredUpdate[] = [];
    const publish = async (node: UpdateStore, rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        const batch = i % 2 === 0 ? [makeUpdate()] : [makeUpdate(), makeUpdate(), makeUpdate()];
        acknowledged.push(...(await node.append(batch)));
      }
    };
    await Promise.all([publish(a, 100), publish(b, 100)]);
    assert.equal(acknowledged.length, total);
    const [fromA, fromB] = await Promise.all([seenByA, seenByB]);
    assert.deepEqual(fromA, fromB);
    const byPosition = [...acknowledged].sort((x, y) => x.position - y.position);
    assert.deepEqual(fromA, byPosition);
    assert.deepEqual(await b.readAfter(0, 1000), byPosition);
  });

  it('tells a watcher that fell behind retention which positions it missed (WatchGapError)', async () => {
    const keyPrefix = freshPrefix();
    const errors: Error[] = [];
    const watcher = await open({ keyPrefix, readBatchSize: 1 });
    const received = new Promise<StoredUpdate>((resolve) =>
      watcher.watch(resolve, { onError: (error) => errors.push(error) }),
    );
    const writer = await open({ keyPrefix, maxCount: 1 });
    const stored = await writer.append(Array.from({ length: 10 }, () => makeUpdate()));
    assert.equal((await received).position, stored[9]!.position);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof WatchGapError);
    assert.deepEqual([errors[0].from, errors[0].to], [stored[0]!.position, stored[8]!.position]);
  });

  it('reports and skips a stream entry it cannot decode, and keeps delivering', async () => {
    const keyPrefix = freshPrefix();
    const errors: Error[] = [];
    const store = await open({ keyPrefix, onError: (error) => errors.push(error) });
    const received = collect(store, 1);
    const admin = new Redis(redis.server().url);
    try {
      await admin.incr(`${keyPrefix}seq`);
      await admin.xadd(`${keyPrefix}stream`, '1-0', 'garbage', 'x');
    } finally {
      admin.disconnect();
    }
    const stored = await store.append([makeUpdate()]);
    assert.deepEqual(await received, stored);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof StoreError && errors[0].code === 'CORRUPT_ENTRY');
  });

  it('trims the stream and the id index together, a backlog larger than one step included', async () => {
    const keyPrefix = freshPrefix();
    const store = await open({ keyPrefix, maxCount: 10 });
    await store.append(Array.from({ length: 2500 }, () => makeUpdate()));
    assert.equal((await store.readAfter(0, 10_000)).length, 10);
    const admin = new Redis(redis.server().url);
    try {
      await waitUntil(async () => (await admin.xlen(`${keyPrefix}stream`)) === 10);
      assert.equal(await admin.hlen(`${keyPrefix}ids`), 10);
    } finally {
      admin.disconnect();
    }
  });

  it('leaves out of size the entries beyond maxCount that trimming has not reached yet', async () => {
    const keyPrefix = freshPrefix();
    const writer = await open({ keyPrefix });
    const updates = Array.from({ length: 10 }, (_, index) => makeUpdate({ data: 'x'.repeat(index + 1) }));
    await writer.append(updates);
    // A node with a smaller maxCount sees the stream before any of its appends or timers trimmed it.
    const reader = await open({ keyPrefix, maxCount: 3 });
    assert.deepEqual(await reader.size(), { updates: 3, bytes: 8 + 9 + 10 });
    assert.deepEqual(await writer.size(), { updates: 10, bytes: 55 });
  });

  it('trims expired entries on its timer, with no append to trigger it', async () => {
    const keyPrefix = freshPrefix();
    const store = await open({ keyPrefix, maxAgeMs: 300, trimIntervalMs: 50 });
    const [stored] = await store.append([makeUpdate()]);
    const admin = new Redis(redis.server().url);
    try {
      await waitUntil(async () => (await admin.xlen(`${keyPrefix}stream`)) === 0);
      assert.equal(await admin.hexists(`${keyPrefix}ids`, stored!.id), 0);
    } finally {
      admin.disconnect();
    }
  });

  it('refuses bad options with a RangeError naming them, before connecting', async () => {
    await assert.rejects(
      createRedisStore({ url: 'localhost:6379' }),
      /url must be one of redis:\/\/, rediss:\/\//,
    );
    await assert.rejects(
      createRedisStore({ url: redis.server().url, readBatchSize: 0 }),
      /readBatchSize must be an integer >= 1/,
    );
    await assert.rejects(
      createRedisStore({ url: redis.server().url, maxAgeMs: -1 }),
      /maxAgeMs must be an integer >= 1/,
    );
  });
});
