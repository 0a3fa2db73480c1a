import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HistoryRewoundError, StoreUnavailableError } from '../errors.ts';
import { makeUpdate } from '../testing/conformance.ts';
import { freshPrefix, waitUntil } from '../testing/redis-fixture.ts';
import {
  restartAsReplica,
  sentinelFailover,
  startSentinelGroup,
  type TestSentinelGroup,
} from '../testing/redis-sentinel.ts';
import type { StoredUpdate, UpdateStore } from '../types.ts';
import { createRedisStore } from './redis.ts';

/** Publishes one update at a time on each store until stopped; remembers what was acknowledged and what failed. */
function keepPublishing(stores: UpdateStore[]) {
  const acknowledged: StoredUpdate[] = [];
  const failed: unknown[] = [];
  let running = true;
  const loops = stores.map(async (store) => {
    while (running) {
      try {
        acknowledged.push(...(await store.append([makeUpdate()])));
      } catch (error) {
        failed.push(error);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  });
  return {
    acknowledged,
    failed,
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}

/**
 * What a store's watcher delivers, less what a HistoryRewoundError takes back (as the hub's
 * subscribers resume from the store then): what a subscriber ends up with.
 */
function record(store: UpdateStore): StoredUpdate[] {
  const seen: StoredUpdate[] = [];
  store.watch((update) => seen.push(update), {
    onError: (error) => {
      if (!(error instanceof HistoryRewoundError)) return;
      const keep = seen.findIndex((update) => update.position > error.after);
      if (keep !== -1) seen.splice(keep);
    },
  });
  return seen;
}

/**
 * Publishes on two stores through the sentinels, fails over with `failover`, and then publishes on
 * until 20 more are acknowledged; `afterwards` runs once the sentinels name the replica as primary.
 */
async function failoverMidStream(
  failover: (group: TestSentinelGroup) => Promise<void>,
  afterwards: (group: TestSentinelGroup) => Promise<void> = async () => {},
): Promise<void> {
  const group = await startSentinelGroup(3);
  const keyPrefix = freshPrefix();
  const open = () =>
    createRedisStore({ url: group.url, keyPrefix, replicas: 1, replicaTimeoutMs: 1000, onError: () => {} });
  const stores = [await open(), await open()];
  try {
    const seen = stores.map(record);
    const publishing = keepPublishing(stores);
    await waitUntil(async () => publishing.acknowledged.length >= 20);
    await failover(group);
    await waitUntil(async () => (await group.primaryPort()) === group.replica.port);
    await afterwards(group);
    const before = publishing.acknowledged.length;
    await waitUntil(async () => publishing.acknowledged.length >= before + 20);
    await publishing.stop();

    const { acknowledged, failed } = publishing;
    assert.ok(failed.length > 0, 'no append failed during the failover');
    for (const error of failed) assert.ok(error instanceof StoreUnavailableError, String(error));
    // Every acknowledged update is on the new primary, at the position it was acknowledged with. Read
    // through a store opened now: the sentinels name the new primary to it, while a publishing store's
    // connection may have landed on the restarted old primary before the sentinels demoted it, which
    // serves its stale copy until its resync ends.
    const reader = await open();
    stores.push(reader);
    const kept = await reader.readAfter(0, 100_000);
    const keptById = new Map(kept.map((update) => [update.id, update.position]));
    for (const update of acknowledged) assert.equal(keptById.get(update.id), update.position, update.id);
    // Each store delivered the new primary's history: all of it, once, in order.
    for (const delivered of seen) {
      await waitUntil(async () => delivered.at(-1)?.position === kept.at(-1)!.position).catch(() => {});
      assert.deepEqual(delivered, kept);
    }
  } finally {
    for (const store of stores) await store.close();
    await group.stop();
  }
}

describe('redis store behind Sentinel', { timeout: 120_000 }, () => {
  it('loses no acknowledged update when the primary is killed mid-stream, and delivers without gap or repeat', async () => {
    // The new primary has no replica until the old one is back (the sentinels make it a replica):
    // until then, with replicas: 1, appends are refused, not acknowledged unreplicated.
    await failoverMidStream(
      (group) => group.primary.kill(),
      (group) => restartAsReplica(group),
    );
  });

  it('loses no acknowledged update across SENTINEL FAILOVER mid-stream, and delivers without gap or repeat', async () => {
    await failoverMidStream(sentinelFailover);
  });
});
