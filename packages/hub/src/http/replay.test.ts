import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStream, type TestStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

describe('replay with a concurrent publisher', () => {
  it('history then live: no gap, no duplicate, in order, for subscribers joining at any moment', async () => {
    const hub = await startTestHub({ anonymous: true });
    const publisher = await hub.token({ publish: ['*'] });
    const total = 300;
    const ids = Array.from({ length: total }, (_, i) => `p${i}`);
    const joined: { after: string; stream: Promise<TestStream> }[] = [];
    const publishing = (async () => {
      for (const [i, id] of ids.entries()) {
        // Alternate topics so that selectors filter history as well as live updates.
        const res = await hub.publish({ topic: `https://e.com/t/${i % 2}`, data: id, id }, publisher);
        assert.equal(res.status, 200);
        if (i % 37 === 5) {
          joined.push({
            after: id,
            stream: openStream(hub.subscribeUrl(['https://e.com/t/{n}']), { 'last-event-id': id }),
          });
        }
      }
    })();
    await publishing;
    for (const { after, stream } of joined) {
      const expected = ids.slice(ids.indexOf(after) + 1);
      const opened = await stream;
      const events = await opened.waitForEvents(expected.length, 15_000);
      // Anything extra (a duplicate) would arrive right behind: give it the chance.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(
        events.map((e) => e.lastEventId),
        expected,
        `subscriber that resumed after ${after}`,
      );
      opened.close();
    }
    await hub.close();
  });

  it('paces a replay larger than the subscriber queue cap instead of dropping the subscriber', async () => {
    const hub = await startTestHub({
      anonymous: true,
      limits: { subscriberQueueBytes: 64 * 1024, maxBodyBytes: 4 * 1024 * 1024 },
    });
    const publisher = await hub.token({ publish: ['*'] });
    const data = 'y'.repeat(1024);
    for (let round = 0; round < 4; round++) {
      const batch = Array.from({ length: 500 }, () => ({ topic: 'big', data }));
      const res = await fetch(hub.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      assert.equal(res.status, 200);
    }
    // 2 MB of history through a 64 KiB queue.
    const stream = await openStream(hub.subscribeUrl(['big'], { lastEventID: 'earliest' }));
    const events = await stream.waitForEvents(2000, 30_000);
    assert.equal(events.length, 2000);
    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    assert.doesNotMatch(metrics, /disconnects_total\{cause="overflow"\}/);
    stream.close();
    await hub.close();
  });
});
