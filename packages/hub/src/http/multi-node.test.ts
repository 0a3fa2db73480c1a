import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRedisStore } from '../store/index.ts';
import { startRedisServer, type TestRedisServer } from '../store/testing/redis-server.ts';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';

describe('several hub nodes sharing a Redis store', () => {
  let redis: TestRedisServer;
  before(async () => {
    redis = await startRedisServer();
  });
  const onSharedStore = async () => ({
    anonymous: true,
    store: await createRedisStore({ url: redis.url, keyPrefix: 'spout:{multi}:' }),
  });
  const nodeA = useTestHub(onSharedStore);
  const nodeB = useTestHub(onSharedStore);
  // Registered after the nodes' hooks: node:test runs it once both nodes are closed.
  after(() => redis.stop());

  it('an update published to one node reaches subscribers of the other', async () => {
    const onB = await openStream(nodeB.subscribeUrl(['https://e.com/shared']));
    const publisher = await nodeA.token({ publish: ['*'] });
    const res = await nodeA.publish({ topic: 'https://e.com/shared', data: 'across', id: 'm-1' }, publisher);
    assert.equal(res.status, 200);
    const [event] = await onB.waitForEvents(1);
    assert.deepEqual({ id: event?.lastEventId, data: event?.data }, { id: 'm-1', data: 'across' });
    onB.close();
  });

  it('a subscriber resumes on any node with a Last-Event-ID from another', async () => {
    const publisher = await nodeA.token({ publish: ['*'] });
    for (const id of ['r-1', 'r-2', 'r-3']) {
      await nodeA.publish({ topic: 'https://e.com/resume', data: id, id }, publisher);
    }
    const onB = await openStream(nodeB.subscribeUrl(['https://e.com/resume']), { 'last-event-id': 'r-1' });
    const events = await onB.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['r-2', 'r-3'],
    );
    onB.close();
  });
});
