import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalDirectory } from '../core/directory.ts';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import { freshPrefix, useRedis, waitUntil } from '../store/testing/redis-fixture.ts';
import { run, waitForLine } from '../testing/run-cli.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub, subscribeUrlOf, TEST_SECRET } from '../testing/test-hub.ts';
import { createRedisDirectory } from './redis-directory.ts';
import {
  eventDocuments,
  startPresenceNode,
  subscribersOf,
  watchSubscriptionEvents,
  withTwoNodes,
} from './testing/presence-node.ts';

/** Short, so that a dead node is noticed quickly; the waits below are bounded polls, not timings. */
const TTL_MS = 1000;

describe('presence across hub nodes sharing a Redis key prefix', () => {
  const redis = useRedis();

  it('[spec] the subscriptions API of one node lists a subscriber connected to another', async () => {
    await withTwoNodes(redis.server().url, [TTL_MS, TTL_MS], async (nodeA, nodeB) => {
      const onB = await openStream(nodeB.subscribeUrl(['https://e.com/on-b']));
      const [subscriber] = await subscribersOf(nodeB.url, 'https://e.com/on-b');
      assert.ok(subscriber);
      assert.deepEqual(await subscribersOf(nodeA.url, 'https://e.com/on-b'), [subscriber]);
      onB.close();
    });
  });

  it('/healthz counts the subscribers of every live node', async () => {
    await withTwoNodes(redis.server().url, [TTL_MS, TTL_MS], async (nodeA, nodeB) => {
      const streams = [
        await openStream(nodeA.subscribeUrl(['https://e.com/count'])),
        await openStream(nodeB.subscribeUrl(['https://e.com/count'])),
        await openStream(nodeB.subscribeUrl(['https://e.com/count'])),
      ];
      const health = (await (await fetch(`${nodeA.url}/healthz`)).json()) as { subscribers: number };
      assert.equal(health.subscribers, 3);
      for (const stream of streams) stream.close();
    });
  });

  it('a node that shuts down takes its subscribers out of the other nodes’ lists', async () => {
    await withTwoNodes(redis.server().url, [TTL_MS, TTL_MS], async (nodeA, nodeB) => {
      await openStream(nodeB.subscribeUrl(['https://e.com/leaving']));
      assert.equal((await subscribersOf(nodeA.url, 'https://e.com/leaving')).length, 1);
      await nodeB.close();
      assert.deepEqual(await subscribersOf(nodeA.url, 'https://e.com/leaving'), []);
    });
  });

  it('[spec] a node killed without shutting down: its subscribers leave the list and are announced inactive', async () => {
    const url = redis.server().url;
    const keyPrefix = freshPrefix();
    const topic = 'https://e.com/on-killed-node';
    const nodeA = await startPresenceNode(url, keyPrefix, TTL_MS);
    const child = run(
      ['hub', '--port', '0', '--no-ui', '--log-level', 'info', '--store', 'redis', '--redis-url', url],
      {
        SPOUT_REDIS_KEY_PREFIX: keyPrefix,
        SPOUT_PRESENCE_TTL: '1s',
        SPOUT_SUBSCRIPTIONS: 'true',
        SPOUT_ANONYMOUS: 'true',
        SPOUT_JWT_KEY: TEST_SECRET,
      },
    );
    try {
      const line = await waitForLine(child, (l) => l.includes('hub listening'));
      const childUrl = (JSON.parse(line) as { url: string }).url;
      await openStream(subscribeUrlOf(childUrl, [topic]));
      let listed: string[] = [];
      await waitUntil(async () => {
        listed = await subscribersOf(nodeA.url, topic);
        return listed.length === 1;
      });
      const watcher = await watchSubscriptionEvents(nodeA.hubUrl);
      child.process.kill('SIGKILL');
      await child.exited;
      await waitUntil(async () => (await subscribersOf(nodeA.url, topic)).length === 0);
      // [spec] an update MUST be published when a subscription ends: the node that reaped the dead one does it.
      await waitUntil(async () =>
        eventDocuments(watcher).some(
          (doc) => doc.topic === topic && doc.subscriber === listed[0] && doc.active === false,
        ),
      );
      watcher.close();
    } finally {
      child.process.kill('SIGKILL');
      await nodeA.close();
    }
  });

  it('[spec] a node taken for dead while alive announces its subscribers active again and is listed again', async () => {
    const topic = 'https://e.com/late-heartbeat';
    // B heartbeats every second; A takes a node silent for 300 ms for dead: it reaps B between B's heartbeats.
    await withTwoNodes(redis.server().url, [300, 3000], async (nodeA, nodeB) => {
      const watcher = await watchSubscriptionEvents(nodeA.hubUrl);
      const onB = await openStream(nodeB.subscribeUrl([topic]));
      const activity = () =>
        eventDocuments(watcher)
          .filter((doc) => doc.topic === topic)
          .map((doc) => doc.active);
      await waitUntil(async () => activity().length >= 3);
      assert.deepEqual(activity().slice(0, 3), [true, false, true]);
      // Rejoined with its hash written whole: listed again (until A takes it for dead again).
      await waitUntil(async () => (await subscribersOf(nodeA.url, topic)).length === 1);
      onB.close();
      watcher.close();
    });
  });

  it('a subscriber that arrives while Redis is down is served, and listed everywhere once Redis is back', async () => {
    const url = redis.server().url;
    const keyPrefix = freshPrefix();
    const redisOptions = () => ({
      redis: { url, keyPrefix },
      admission: new LocalDirectory(DEFAULT_LIMITS),
      ttlMs: TTL_MS,
    });
    const observer = await createRedisDirectory(redisOptions());
    const node = await startTestHub({
      anonymous: true,
      directory: await createRedisDirectory(redisOptions()),
    });
    try {
      await redis.server().kill();
      const stream = await openStream(node.subscribeUrl(['https://e.com/while-down']));
      assert.equal(stream.status, 200);
      await redis.server().restart();
      await waitUntil(async () => {
        const entries = await observer.list().catch(() => []);
        return entries.some((entry) => entry.subscriptions[0]?.topic === 'https://e.com/while-down');
      });
      stream.close();
    } finally {
      await node.close();
      await observer.close();
    }
  });
});
