import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { startRedisCluster, type TestRedisCluster } from '../store/testing/redis-cluster.ts';
import { freshPrefix, waitUntil } from '../store/testing/redis-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startPresenceNode, subscribersOf } from './testing/presence-node.ts';

describe('presence on a Redis Cluster', { timeout: 120_000 }, () => {
  let cluster: TestRedisCluster;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  after(async () => {
    await cluster.stop();
  });

  /** Every key of one slot, asked of each primary (only the one holding the slot has any). */
  async function keysInSlotOf(key: string): Promise<string[]> {
    const keys: string[] = [];
    for (const server of cluster.servers) {
      const admin = new Redis(server.url);
      try {
        const slot = Number(await admin.call('CLUSTER', 'KEYSLOT', key));
        keys.push(...((await admin.call('CLUSTER', 'GETKEYSINSLOT', slot, 1000)) as string[]));
      } finally {
        admin.disconnect();
      }
    }
    return keys;
  }

  it('nodes started from different seeds list each other’s subscribers, with every presence key in the store’s slot', async () => {
    const keyPrefix = freshPrefix();
    const [first, second] = cluster.servers.map((server) => `redis+cluster://127.0.0.1:${server.port}`);
    const nodeA = await startPresenceNode(first!, keyPrefix, 1000);
    const nodeB = await startPresenceNode(second!, keyPrefix, 1000);
    try {
      const topic = 'https://e.com/cluster-presence';
      const streams = [
        await openStream(nodeA.subscribeUrl([topic])),
        await openStream(nodeB.subscribeUrl([topic])),
      ];
      await waitUntil(async () => (await subscribersOf(nodeA.url, topic)).length === 2);
      assert.equal((await subscribersOf(nodeB.url, topic)).length, 2);
      const inSlot = await keysInSlotOf(`${keyPrefix}seq`);
      for (const key of [
        `${keyPrefix}presence`,
        `${keyPrefix}presence:${nodeA.directory.nodeId}`,
        `${keyPrefix}presence:${nodeB.directory.nodeId}`,
      ]) {
        assert.ok(inSlot.includes(key), `${key} is not in the slot of ${keyPrefix}seq: ${inSlot.join(', ')}`);
      }
      for (const stream of streams) stream.close();
    } finally {
      await nodeA.close();
      await nodeB.close();
    }
  });
});
