import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useRedis, waitUntil } from '../store/testing/redis-fixture.ts';
import { openStream, type TestStream } from '../testing/sse-reader.ts';
import { subscribeUrlOf } from '../testing/test-hub.ts';
import { redisStoreArgs, startWorkerHub, type WorkerHub } from '../workers/testing/worker-hub.ts';
import { eventDocuments, subscribersOf, watchSubscriptionEvents } from './testing/presence-node.ts';

/** The worker pid of each subscriber, from the hub's `subscriber connected` log lines. */
function workerOf(hub: WorkerHub): Map<string, number> {
  const byWorker = new Map<string, number>();
  for (const line of hub.child.stdout.filter((text) => text.includes('"subscriber connected"'))) {
    const entry = JSON.parse(line) as { subscriber: string; pid: number };
    byWorker.set(entry.subscriber, entry.pid);
  }
  return byWorker;
}

describe('presence with --workers on Redis: each worker is a node', { timeout: 120_000 }, () => {
  const redis = useRedis();
  const start = () =>
    startWorkerHub(2, [...redisStoreArgs(redis.server().url), '--subscriptions', '--presence-ttl', '1s']);

  it('[spec] the subscriptions API of any worker lists the subscribers of every worker', async () => {
    const hub = await start();
    const topic = 'https://e.com/workers';
    const streams: TestStream[] = [];
    try {
      for (let i = 0; i < 4; i++) streams.push(await openStream(subscribeUrlOf(hub.hubUrl, [topic])));
      await waitUntil(async () => workerOf(hub).size === 4);
      assert.equal(new Set(workerOf(hub).values()).size, 2, 'the subscribers landed on both workers');
      // Each request may reach either worker: both list all four.
      for (let i = 0; i < 4; i++) assert.equal((await subscribersOf(hub.hubUrl, topic)).length, 4);
    } finally {
      for (const stream of streams) stream.close();
      assert.equal((await hub.stop()).code, 0);
    }
  });

  it('[spec] a crashed worker’s subscribers leave the list and another worker announces them inactive', async () => {
    const hub = await start();
    const topic = 'https://e.com/crashed-worker';
    const streams: TestStream[] = [];
    try {
      const watcher = await watchSubscriptionEvents(hub.hubUrl);
      await waitUntil(async () => workerOf(hub).size === 1);
      const [watcherWorker] = [...workerOf(hub).values()];
      for (let i = 0; i < 4; i++) streams.push(await openStream(subscribeUrlOf(hub.hubUrl, [topic])));
      await waitUntil(async () => workerOf(hub).size === 5);
      const victim = [...workerOf(hub).values()].find((pid) => pid !== watcherWorker)!;
      const lost = [...workerOf(hub)].filter(([, pid]) => pid === victim).map(([subscriber]) => subscriber);
      process.kill(victim, 'SIGKILL');
      await waitUntil(async () => {
        // A request may meet the dying worker: it fails, and the poll asks again.
        const listed = await subscribersOf(hub.hubUrl, topic).catch(() => lost);
        return lost.every((subscriber) => !listed.includes(subscriber));
      });
      await waitUntil(async () => {
        const ended = eventDocuments(watcher).filter((doc) => doc.topic === topic && !doc.active);
        return lost.every((subscriber) => ended.some((doc) => doc.subscriber === subscriber));
      });
      watcher.close();
    } finally {
      for (const stream of streams) stream.close();
      assert.equal((await hub.stop()).code, 0);
    }
  });
});
