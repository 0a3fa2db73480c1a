import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub, type TestHub } from '../testing/test-hub.ts';

const TOPIC = 'https://example.com/big';

function publishBatch(hub: TestHub, token: string, updates: object[]): Promise<Response> {
  return fetch(hub.hubUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(updates),
  });
}

async function subscriberCount(hub: TestHub): Promise<number> {
  const health = (await (await fetch(new URL('/healthz', hub.hubUrl))).json()) as { subscribers: number };
  return health.subscribers;
}

describe('updates larger than a subscriber queue can take', () => {
  it('[policy] refuses a 1 MiB update made of line breaks with 413 naming subscriberQueueBytes, storing nothing', async () => {
    const hub = await startTestHub({ anonymous: true });
    try {
      const token = await hub.token({ publish: ['*'] });
      // Each line break becomes a "data: " line: 900 KB of JSON encodes to 2.4 MB.
      const data = 'x\n'.repeat(300_000);
      const refused = await publishBatch(hub, token, [{ topic: TOPIC, data, id: 'poison' }]);
      assert.equal(refused.status, 413);
      assert.match(await refused.text(), /subscriberQueueBytes/);
      assert.equal((await hub.publish({ topic: TOPIC, data: 'after', id: 'after' }, token)).status, 200);
      const stream = await openStream(hub.subscribeUrl([TOPIC], { lastEventID: 'earliest' }));
      const events = await stream.waitForEvents(1);
      assert.deepEqual(
        events.map((event) => event.lastEventId),
        ['after'],
      );
      stream.close();
    } finally {
      await hub.close();
    }
  });

  it('replays updates each nearly half the queue cap to a resuming subscriber without closing it', async () => {
    const queue = 64 * 1024;
    const hub = await startTestHub({ anonymous: true, limits: { subscriberQueueBytes: queue } });
    try {
      const token = await hub.token({ publish: ['*'] });
      const data = 'z'.repeat(queue / 2 - 200);
      const ids = Array.from({ length: 40 }, (_, i) => `big-${i}`);
      for (const id of ids) assert.equal((await hub.publish({ topic: TOPIC, data, id }, token)).status, 200);
      const stream = await openStream(hub.subscribeUrl([TOPIC], { lastEventID: 'earliest' }));
      const events = await stream.waitForEvents(ids.length);
      assert.deepEqual(
        events.map((event) => event.lastEventId),
        ids,
      );
      stream.close();
    } finally {
      await hub.close();
    }
  });
});

describe('a subscriber that stalls during replay', () => {
  it('[policy] is disconnected after replayStallTimeout as a slow consumer, freeing its place', async () => {
    const hub = await startTestHub({
      anonymous: true,
      limits: { subscriberQueueBytes: 64 * 1024, replayStallTimeout: 300, maxBodyBytes: 4 * 1024 * 1024 },
    });
    try {
      const token = await hub.token({ publish: ['*'] });
      // 24 MB of history: more than the kernel's socket buffers can absorb for a client that never reads.
      const data = 'h'.repeat(2000);
      for (let round = 0; round < 12; round++) {
        const batch = Array.from({ length: 1000 }, () => ({ topic: TOPIC, data }));
        assert.equal((await publishBatch(hub, token, batch)).status, 200);
      }
      const { port } = new URL(hub.hubUrl);
      const socket = connect(Number(port), '127.0.0.1');
      socket.pause();
      socket.write(
        `GET /.well-known/mercure?topic=${encodeURIComponent(TOPIC)} HTTP/1.1\r\nHost: 127.0.0.1\r\nLast-Event-ID: earliest\r\n\r\n`,
      );
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      let connected = false;
      for (let i = 0; i < 50 && !connected; i++) {
        connected = (await subscriberCount(hub)) === 1;
        if (!connected) await sleep(20);
      }
      assert.ok(connected, 'the stalled subscriber was connected');
      let count = 1;
      for (let i = 0; i < 100 && count > 0; i++) {
        await sleep(100);
        count = await subscriberCount(hub);
      }
      assert.equal(count, 0, 'the stalled subscriber was disconnected');
      const metrics = await (await fetch(new URL('/metrics', hub.hubUrl))).text();
      assert.match(metrics, /spout_hub_disconnects_total\{cause="overflow"\} 1/);
      socket.resume();
      await closed;
    } finally {
      await hub.close();
    }
  });
});
