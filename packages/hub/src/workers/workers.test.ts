import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EventSource } from '@spout/client';
import { mintToken } from '../auth/index.ts';
import { useRedis } from '../store/testing/redis-fixture.ts';
import { openStream, type TestStream } from '../testing/sse-reader.ts';
import { publishForm, subscribeUrlOf, TEST_SECRET } from '../testing/test-hub.ts';
import { alive, eventually, redisStoreArgs, startWorkerHub, type WorkerHub } from './testing/worker-hub.ts';

const dir = mkdtempSync(join(tmpdir(), 'spout-workers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let databases = 0;
const sqliteArgs = () => ['--store', 'sqlite', '--db-path', join(dir, `hub-${++databases}.db`)];
const redis = useRedis();
const redisArgs = () => redisStoreArgs(redis.server().url);

/** Opens `count` subscriptions to `topic`, one connection each (node:cluster spreads them over the workers). */
async function subscribers(
  hub: WorkerHub,
  count: number,
  topic = 'https://example.com/t',
): Promise<TestStream[]> {
  const before = hub.subscriberWorkers().length;
  const streams: TestStream[] = [];
  for (let i = 0; i < count; i++) streams.push(await openStream(subscribeUrlOf(hub.hubUrl, [topic])));
  await eventually(
    () => hub.subscriberWorkers().length >= before + count,
    `${count} subscribers are connected`,
  );
  return streams;
}

describe('spout hub --workers', { timeout: 120_000 }, () => {
  for (const [store, args] of [
    ['memory', () => ['--store', 'memory']],
    ['sqlite', sqliteArgs],
    ['redis', redisArgs],
  ] as const) {
    it(`delivers an update published to any worker to the subscribers of every worker, once, in one order, with one id (${store})`, async () => {
      const hub = await startWorkerHub(2, args());
      try {
        const streams = await subscribers(hub, 6);
        assert.equal(new Set(hub.subscriberWorkers()).size, 2, 'the subscribers landed on both workers');
        const token = await hub.publisherToken();
        const ids: string[] = [];
        for (let i = 0; i < 10; i++) {
          const answer = await publishForm(
            hub.hubUrl,
            { topic: 'https://example.com/t', data: `u${i}` },
            token,
          );
          assert.equal(answer.status, 200);
          ids.push(await answer.text());
        }
        for (const stream of streams) {
          const events = await stream.waitForEvents(10);
          assert.deepEqual(
            events.map((event) => [event.lastEventId, event.data]),
            ids.map((id, i) => [id, `u${i}`]),
          );
          stream.close();
        }
      } finally {
        assert.equal((await hub.stop()).code, 0);
      }
    });
  }

  it('[limits] holds maxSubscribersPerAddress for the whole hub, not per worker', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory', '--max-subscribers-per-address', '3']);
    try {
      const open = await subscribers(hub, 3);
      assert.equal(new Set(hub.subscriberWorkers()).size, 2, 'the subscribers landed on both workers');
      for (let i = 0; i < 2; i++) {
        const refused = await openStream(subscribeUrlOf(hub.hubUrl, ['https://example.com/t']));
        assert.equal(refused.status, 429);
        assert.match(await refused.text(), /maxSubscribersPerAddress/);
      }
      open[0]!.close();
      await eventually(async () => {
        const again = await openStream(subscribeUrlOf(hub.hubUrl, ['https://example.com/t']));
        again.close();
        return again.status === 200;
      }, 'a place is free again');
      for (const stream of open) stream.close();
    } finally {
      await hub.stop();
    }
  });

  it('[spec] lists the subscribers of every worker in the subscriptions API', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory', '--subscriptions']);
    try {
      const streams = await subscribers(hub, 4);
      const answer = await fetch(new URL('/.well-known/mercure/subscriptions', hub.hubUrl), {
        headers: { authorization: `Bearer ${await hub.publisherToken()}` },
      });
      const document = (await answer.json()) as { subscriptions: { subscriber: string }[] };
      assert.equal(new Set(document.subscriptions.map((s) => s.subscriber)).size, 4);
      for (const stream of streams) stream.close();
    } finally {
      await hub.stop();
    }
  });

  it('[spec] sends a private update only to the subscribers whose token allows it, on every worker', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory']);
    try {
      const topic = 'https://example.com/private';
      const token = await mintToken({ secret: TEST_SECRET, subscribe: [topic] });
      const allowed: TestStream[] = [];
      const anonymous: TestStream[] = [];
      for (let i = 0; i < 3; i++) {
        allowed.push(
          await openStream(subscribeUrlOf(hub.hubUrl, [topic]), { authorization: `Bearer ${token}` }),
        );
        anonymous.push(await openStream(subscribeUrlOf(hub.hubUrl, [topic])));
      }
      await eventually(() => hub.subscriberWorkers().length >= 6, 'the subscribers are connected');
      assert.equal(new Set(hub.subscriberWorkers()).size, 2, 'the subscribers landed on both workers');
      const publisher = await hub.publisherToken();
      await publishForm(hub.hubUrl, { topic, data: 'secret', private: 'on' }, publisher);
      await publishForm(hub.hubUrl, { topic, data: 'public' }, publisher);
      for (const stream of allowed) {
        assert.deepEqual(
          (await stream.waitForEvents(2)).map((event) => event.data),
          ['secret', 'public'],
        );
      }
      for (const stream of anonymous) {
        assert.deepEqual(
          (await stream.waitForEvents(1)).map((event) => event.data),
          ['public'],
        );
      }
      for (const stream of [...allowed, ...anonymous]) stream.close();
    } finally {
      await hub.stop();
    }
  });

  it('[spec] publishes the subscription-ended events of a crashed worker’s subscribers', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory', '--subscriptions']);
    try {
      const observer = await openStream(
        subscribeUrlOf(hub.hubUrl, ['/.well-known/mercure/subscriptions{/topic}{/subscriber}']),
        { authorization: `Bearer ${await hub.publisherToken()}` },
      );
      // Its log line first, so that the first connection logged is the observer's.
      await eventually(() => hub.subscriberWorkers().length === 1, 'the observer is connected');
      const others = await subscribers(hub, 5);
      const connectedOn = hub.subscriberWorkers();
      const observerPid = connectedOn[0]!;
      const victim = hub.workerPids().find((pid) => pid !== observerPid)!;
      const onVictim = connectedOn.filter((pid) => pid === victim).length;
      assert.ok(onVictim > 0, 'a subscriber landed on the other worker');
      await observer.waitForEvents(5);
      process.kill(victim, 'SIGKILL');
      const ended = () =>
        observer.events.filter((event) => (JSON.parse(event.data) as { active: boolean }).active === false);
      await eventually(
        () => ended().length === onVictim,
        () => `${onVictim} subscriptions ended; saw ${ended().length}`,
      );
      for (const stream of [observer, ...others]) stream.close();
    } finally {
      await hub.stop();
    }
  });

  it('aggregates every worker in /metrics and reports every worker in /healthz', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory']);
    try {
      const streams = await subscribers(hub, 4);
      assert.equal(new Set(hub.subscriberWorkers()).size, 2, 'the subscribers landed on both workers');
      for (let ask = 0; ask < 2; ask++) {
        // Each request may be answered by either worker: both give the whole hub.
        const metrics = await (await fetch(new URL('/metrics', hub.hubUrl))).text();
        assert.match(metrics, /^spout_hub_subscribers 4$/m);
        const health = await (await fetch(new URL('/healthz', hub.hubUrl))).json();
        assert.deepEqual(health, {
          status: 'ok',
          subscribers: 4,
          latestPosition: 0,
          workers: { ready: 2, expected: 2 },
        });
      }
      for (const stream of streams) stream.close();
    } finally {
      await hub.stop();
    }
  });

  it('replaces a crashed worker; its subscribers resume by Last-Event-ID with nothing lost and nothing twice', async () => {
    const hub = await startWorkerHub(2, sqliteArgs());
    const token = await hub.publisherToken();
    const topic = 'https://example.com/crash';
    const publish = async (data: string, retry?: string) => {
      const fields: Record<string, string> = { topic, data, id: `urn:crash:${data}` };
      if (retry !== undefined) fields['retry'] = retry;
      let last = 'no answer';
      for (let attempt = 0; attempt < 100; attempt++) {
        // A publish that met the dying worker is retried with the same id: the hub stores it once. A
        // connection handed to the worker as it died is never answered: each attempt has a deadline.
        const answer = await fetch(hub.hubUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
          body: new URLSearchParams(fields).toString(),
          signal: AbortSignal.timeout(2000),
        }).catch((error: Error) => error);
        if (!(answer instanceof Error) && answer.status === 200) return;
        last = answer instanceof Error ? answer.message : `${answer.status} ${await answer.text()}`;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`publish ${data} never acknowledged; last answer: ${last}`);
    };
    const sources: EventSource[] = [];
    const received: string[][] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const seen: string[] = [];
        received.push(seen);
        const source = new EventSource(subscribeUrlOf(hub.hubUrl, [topic]));
        source.onmessage = (event) => seen.push(event.data);
        sources.push(source);
      }
      await eventually(() => hub.subscriberWorkers().length >= 4, 'the subscribers are connected');
      // The first update makes every client reconnect after 200 ms instead of 3 s.
      await publish('0', '200');
      // Every client holds an id to resume from before a worker dies.
      await eventually(
        () => received.every((seen) => seen.length === 1),
        'every subscriber has the first update',
      );
      const [victim] = hub.workerPids();
      process.kill(victim!, 'SIGKILL');
      const published = ['0'];
      for (let i = 1; i <= 30; i++) {
        await publish(String(i));
        published.push(String(i));
      }
      await eventually(
        () => received.every((seen) => seen.length >= published.length),
        () => `every subscriber has every update: ${JSON.stringify(received)}`,
      );
      for (const seen of received) assert.deepEqual(seen, published);
      await eventually(() => hub.workerPids().length === 2, 'a replacement worker listens');
      assert.ok(!hub.workerPids().includes(victim!));
    } finally {
      for (const source of sources) source.close();
      assert.equal((await hub.stop()).code, 0);
    }
  });

  it('on SIGTERM closes every worker’s subscribers with a retry hint and exits 0', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory']);
    const streams = await subscribers(hub, 4);
    const pids = hub.workerPids();
    const { code } = await hub.stop();
    assert.equal(code, 0);
    for (const stream of streams) {
      await stream.ended;
      assert.equal(stream.retries.length, 1, 'a retry hint before the end');
    }
    for (const pid of pids) assert.equal(alive(pid), false);
  });

  it('closes a subscription when its token expires, on whichever worker holds it', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory']);
    try {
      const topic = 'https://example.com/expiring';
      const token = await mintToken({ secret: TEST_SECRET, subscribe: [topic], expiresInSeconds: 2 });
      const streams: TestStream[] = [];
      for (let i = 0; i < 4; i++) {
        streams.push(
          await openStream(subscribeUrlOf(hub.hubUrl, [topic]), { authorization: `Bearer ${token}` }),
        );
      }
      await eventually(() => hub.subscriberWorkers().length >= 4, 'the subscribers are connected');
      assert.equal(new Set(hub.subscriberWorkers()).size, 2, 'the subscribers landed on both workers');
      await Promise.all(streams.map((stream) => stream.ended));
    } finally {
      await hub.stop();
    }
  });

  it('on SIGTERM stores every publish it acknowledged, from every worker', async () => {
    const db = sqliteArgs();
    const hub = await startWorkerHub(2, db);
    const token = await hub.publisherToken();
    const topic = 'https://example.com/inflight';
    // Four lanes publish one after another until the hub stops answering 200.
    const acknowledged: string[] = [];
    let sent = 0;
    const lane = async () => {
      for (;;) {
        const id = `urn:inflight:${sent++}`;
        const answer = await publishForm(hub.hubUrl, { topic, data: id, id }, token).catch(() => undefined);
        if (answer?.status !== 200) return;
        acknowledged.push(id);
      }
    };
    const lanes = Promise.all([lane(), lane(), lane(), lane()]);
    await eventually(() => acknowledged.length >= 20, '20 publishes are acknowledged');
    const { code } = await hub.stop();
    await lanes;
    assert.equal(code, 0);
    const again = await startWorkerHub(2, db);
    try {
      const replay = await openStream(subscribeUrlOf(again.hubUrl, [topic]), { 'last-event-id': 'earliest' });
      await eventually(
        () => acknowledged.every((id) => replay.events.some((event) => event.lastEventId === id)),
        () => `every acknowledged publish is stored (${acknowledged.length} acknowledged)`,
      );
      replay.close();
    } finally {
      await again.stop();
    }
  });

  it('takes its workers down when the primary dies', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory']);
    const pids = hub.workerPids();
    assert.equal(pids.length, 2);
    hub.child.process.kill('SIGKILL');
    await eventually(() => pids.every((pid) => !alive(pid)), 'no worker is left running');
  });
});
