import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EventSource } from '@spout/client';
import { openStream, type TestStream } from '../testing/sse-reader.ts';
import { publishForm, subscribeUrlOf } from '../testing/test-hub.ts';
import { alive, eventually, startWorkerHub, type WorkerHub } from './testing/worker-hub.ts';

const dir = mkdtempSync(join(tmpdir(), 'spout-workers-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let databases = 0;
const sqliteArgs = () => ['--store', 'sqlite', '--db-path', join(dir, `hub-${++databases}.db`)];

/** Opens `count` subscriptions to `topic`, one connection each (node:cluster spreads them over the workers). */
async function subscribers(
  hub: WorkerHub,
  count: number,
  topic = 'https://example.com/t',
): Promise<TestStream[]> {
  const streams: TestStream[] = [];
  for (let i = 0; i < count; i++) streams.push(await openStream(subscribeUrlOf(hub.hubUrl, [topic])));
  await eventually(() => hub.subscriberWorkers().length >= count, `${count} subscribers are connected`);
  return streams;
}

describe('spout hub --workers', { timeout: 120_000 }, () => {
  for (const [store, args] of [
    ['memory', () => ['--store', 'memory']],
    ['sqlite', sqliteArgs],
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

  it('replaces a crashed worker; its subscribers resume by Last-Event-ID with nothing lost and nothing twice', async () => {
    const hub = await startWorkerHub(2, sqliteArgs());
    const token = await hub.publisherToken();
    const topic = 'https://example.com/crash';
    const publish = async (data: string, retry?: string) => {
      for (;;) {
        const fields: Record<string, string> = { topic, data, id: `urn:crash:${data}` };
        if (retry !== undefined) fields['retry'] = retry;
        // A publish that met the dying worker is retried with the same id: the hub stores it once.
        const answer = await publishForm(hub.hubUrl, fields, token).catch(() => undefined);
        if (answer?.status === 200) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
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

  it('takes its workers down when the primary dies', async () => {
    const hub = await startWorkerHub(2, ['--store', 'memory']);
    const pids = hub.workerPids();
    assert.equal(pids.length, 2);
    hub.child.process.kill('SIGKILL');
    await eventually(() => pids.every((pid) => !alive(pid)), 'no worker is left running');
  });
});
