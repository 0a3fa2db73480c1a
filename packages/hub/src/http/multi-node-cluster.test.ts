import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRedisStore } from '../store/index.ts';
import { startRedisCluster, type TestRedisCluster } from '../store/testing/redis-cluster.ts';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';

describe('two hub nodes sharing a store on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  // Each node starts from a different seed: the cluster, not the seed, routes the keys.
  const onSeed = (index: number) => async () => ({
    anonymous: true,
    store: await createRedisStore({ url: `redis+cluster://127.0.0.1:${cluster.servers[index]!.port}` }),
  });
  const nodeA = useTestHub(onSeed(0));
  const nodeB = useTestHub(onSeed(1));
  // Registered after the nodes' hooks: node:test runs it once both nodes are closed.
  after(() => cluster.stop());

  it('delivers an update published to one node to subscribers of both, and replays it on either', async () => {
    const topic = 'https://e.com/cluster';
    const onA = await openStream(nodeA.subscribeUrl([topic]));
    const onB = await openStream(nodeB.subscribeUrl([topic]));
    const publisher = await nodeA.token({ publish: ['*'] });
    for (const [node, id] of [
      [nodeA, 'c-1'],
      [nodeB, 'c-2'],
      [nodeA, 'c-3'],
    ] as const) {
      const res = await node.publish({ topic, data: id, id }, publisher);
      assert.equal(res.status, 200);
    }
    for (const stream of [onA, onB]) {
      const events = await stream.waitForEvents(3);
      assert.deepEqual(
        events.map((event) => event.lastEventId),
        ['c-1', 'c-2', 'c-3'],
      );
      stream.close();
    }
    const resumed = await openStream(nodeB.subscribeUrl([topic]), { 'last-event-id': 'c-1' });
    const replayed = await resumed.waitForEvents(2);
    assert.deepEqual(
      replayed.map((event) => event.data),
      ['c-2', 'c-3'],
    );
    resumed.close();
  });
});
