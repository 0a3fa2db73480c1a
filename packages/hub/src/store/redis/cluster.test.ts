import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { collect, describeStoreConformance, makeUpdate } from '../testing/conformance.ts';
import { startRedisCluster, type TestRedisCluster } from '../testing/redis-cluster.ts';
import { freshPrefix } from '../testing/redis-fixture.ts';
import type { StoredUpdate, UpdateStore } from '../types.ts';
import { createRedisStore } from './redis.ts';
import { resolveSettings } from './settings.ts';

let cluster: TestRedisCluster | undefined;
before(async () => {
  cluster = await startRedisCluster(3);
});
after(async () => {
  await cluster?.stop();
});
const url = () => {
  if (!cluster) throw new Error('the test cluster is not started yet');
  return cluster.url;
};

describeStoreConformance('redis cluster', async () => ({
  open: (retention) => createRedisStore({ ...retention, url: url(), keyPrefix: freshPrefix() }),
  elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 50)),
  maxAgeMs: 1000,
  dispose: async () => {},
}));

describe('redis store on a Redis Cluster', { timeout: 120_000 }, () => {
  it('keeps every key of a prefix in one hash slot, the default prefix included', async () => {
    const admin = new Redis(cluster!.servers[0]!.url);
    try {
      for (const keyPrefix of [undefined, freshPrefix()]) {
        const { keys } = resolveSettings({ url: url(), keyPrefix });
        const slots = await Promise.all(keys.map((key) => admin.call('CLUSTER', 'KEYSLOT', key)));
        assert.equal(new Set(slots).size, 1, `slots of ${keys.join(', ')}: ${slots.join(', ')}`);
      }
    } finally {
      admin.disconnect();
    }
  });

  it('two stores on different seed nodes see each other’s appends in one order', async () => {
    const keyPrefix = freshPrefix();
    const [first, second] = cluster!.servers.map((server) => `redis+cluster://127.0.0.1:${server.port}`);
    const stores: UpdateStore[] = [
      await createRedisStore({ url: first!, keyPrefix }),
      await createRedisStore({ url: second!, keyPrefix }),
    ];
    try {
      const [a, b] = stores as [UpdateStore, UpdateStore];
      const seenByA = collect(a, 60);
      const seenByB = collect(b, 60);
      const acknowledged: StoredUpdate[] = [];
      const publish = async (node: UpdateStore) => {
        for (let i = 0; i < 10; i++)
          acknowledged.push(...(await node.append([makeUpdate(), makeUpdate(), makeUpdate()])));
      };
      await Promise.all([publish(a), publish(b)]);
      const byPosition = [...acknowledged].sort((x, y) => x.position - y.position);
      assert.deepEqual(await seenByA, byPosition);
      assert.deepEqual(await seenByB, byPosition);
      assert.deepEqual(await b.readAfter(0, 100), byPosition);
      assert.equal(await a.positionOf(byPosition[5]!.id), byPosition[5]!.position);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('refuses a prefix without a hash tag, and replicas, on a cluster', async () => {
    await assert.rejects(
      createRedisStore({ url: url(), keyPrefix: 'spout:' }),
      /keyPrefix must hold a \{hash tag\}/,
    );
    await assert.rejects(createRedisStore({ url: url(), keyPrefix: 'a{}{b}:' }), /hash tag/);
    await assert.rejects(createRedisStore({ url: url(), replicas: 1 }), /replicas is not supported/);
  });
});
