/**
 * A subscriber whose connection is cut again and again, mid-replay and mid-live, each time
 * reconnecting with the Last-Event-ID of the last whole event it parsed: what it collects is
 * exactly what was published, in order, with no gap and no duplicate.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { temporaryDirectory } from '../../src/store/testing/temp-dir.ts';
import { openStream } from '../../src/testing/sse-reader.ts';
import { publishJson, subscribeUrlOf } from '../../src/testing/test-hub.ts';
import {
  type HubProcess,
  metricValue,
  publisherToken,
  recordFigure,
  scaled,
  startHubProcess,
} from './testing/harness.ts';

const TOPIC = 'https://example.com/cut/{n}';

// With workers, each reconnection may land on another process, whose live feed lags behind the store.
const processes = (workers: number) => `${workers} worker${workers > 1 ? 's' : ''}`;

for (const workers of [1, 2])
  describe(
    `forced disconnects resumed by Last-Event-ID (${processes(workers)})`,
    { timeout: 170_000 },
    () => {
      let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
      let hub: HubProcess;
      let token: string;
      before(async () => {
        dir = await temporaryDirectory();
        hub = await startHubProcess(['--db-path', join(dir.path, 'hub.db'), '--workers', String(workers)]);
        token = await publisherToken();
      });
      after(async () => {
        await hub.stop();
        await dir.dispose();
      });

      /** Publishes updates `from` until `to` (exclusive) in JSON batches of `size`; ids are `c-<n>`. */
      async function publishRange(from: number, to: number, size: number): Promise<void> {
        for (let start = from; start < to; start += size) {
          const batch = Array.from({ length: Math.min(size, to - start) }, (_, i) => ({
            topic: `https://example.com/cut/${(start + i) % 3}`,
            id: `c-${start + i}`,
            data: `update ${start + i}\nsecond line`,
          }));
          const res = await publishJson(hub.hubUrl, batch, token);
          assert.equal(res.status, 200, await res.text());
        }
      }

      it('1,000 forced disconnects, each resumed by Last-Event-ID: every update once, in order', async () => {
        const cuts = scaled(1000);
        const history = 2 * cuts;
        await publishRange(0, history, 100);
        // More arrives while the subscriber is being cut, until the last cut: replay hands over to live many times.
        let cutting = true;
        let published = history;
        const live = (async () => {
          while (cutting) {
            await publishRange(published, published + 5, 5);
            published += 5;
            await new Promise((resolve) => setTimeout(resolve, 2));
          }
        })();
        const received: string[] = [];
        const started = Date.now();
        for (let cut = 0; cut < cuts; cut++) {
          const last = received.at(-1);
          const stream = await openStream(subscribeUrlOf(hub.hubUrl, [TOPIC]), {
            'last-event-id': last ?? 'earliest',
          });
          assert.equal(stream.status, 200);
          // Cut after 1 to 5 whole events: wherever the socket is, a partial event is dropped by the parser.
          await stream.waitForEvents(1 + (cut % 5), 30_000);
          stream.close();
          received.push(...stream.events.map((event) => event.lastEventId));
        }
        recordFigure(`forced disconnects (${processes(workers)}): cut and resumed`, cuts);
        recordFigure(
          `forced disconnects (${processes(workers)}): wall time for all reconnects`,
          Date.now() - started,
          'ms',
        );
        cutting = false;
        await live;
        const total = published;
        const rest = await openStream(subscribeUrlOf(hub.hubUrl, [TOPIC]), {
          'last-event-id': received.at(-1)!,
        });
        assert.equal(rest.status, 200, `${await metricValue(hub.url, 'spout_hub_subscribers')} subscribers`);
        await rest.waitForEvents(total - received.length, 30_000);
        rest.close();
        received.push(...rest.events.map((event) => event.lastEventId));
        assert.deepEqual(
          received,
          Array.from({ length: total }, (_, n) => `c-${n}`),
        );
      });
    },
  );
