/**
 * SIGKILL of a hub process on the SQLite store while publishers and a subscriber are busy:
 * after a restart on the same file, every publish that was answered 200 is delivered to the
 * subscriber resuming by Last-Event-ID, in history order, none twice.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { mintToken } from '../../src/auth/index.ts';
import { temporaryDirectory } from '../../src/store/testing/temp-dir.ts';
import { openStream, type TestStream } from '../../src/testing/sse-reader.ts';
import { publishForm, subscribeUrlOf } from '../../src/testing/test-hub.ts';
import { type HubProcess, recordFigure, scaled, startHubProcess, TEST_SECRET } from './harness.ts';

const TOPIC = 'https://example.com/killed';

/** Publishes from `lanes` concurrent loops until the hub stops answering; returns the acknowledged ids. */
async function publishUntilDown(hub: HubProcess, token: string, lanes: number): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (;;) {
        const n = next++;
        try {
          const res = await publishForm(hub.hubUrl, { topic: TOPIC, data: String(n) }, token);
          const id = await res.text();
          assert.equal(res.status, 200, id);
          acknowledged.push(id);
        } catch (error) {
          if (error instanceof assert.AssertionError) throw error;
          return; // the connection failed: the hub is gone
        }
      }
    }),
  );
  return acknowledged;
}

/** Reads `stream` until the event with id `last` arrived; returns the ids, in order. */
async function idsThrough(stream: TestStream, last: string): Promise<string[]> {
  for (let count = 1; ; count++) {
    const events = await stream.waitForEvents(count, 30_000);
    if (events.at(-1)?.lastEventId === last) return events.map((event) => event.lastEventId);
  }
}

describe('SIGKILL of a hub on the SQLite store mid-stream', { timeout: 120_000 }, () => {
  let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
  let restarted: HubProcess | undefined;
  before(async () => {
    dir = await temporaryDirectory();
  });
  after(async () => {
    await restarted?.stop();
    await dir.dispose();
  });

  it('every acknowledged publish is delivered after the restart, in order, none twice', async () => {
    const dbPath = join(dir.path, 'hub.db');
    const token = await mintToken({ secret: TEST_SECRET, publish: ['*'] });
    const first = await startHubProcess(['--db-path', dbPath]);
    const live = await openStream(subscribeUrlOf(first.hubUrl, [TOPIC]));
    const publishing = publishUntilDown(first, token, 8);
    // Kill once enough is acknowledged, with publishes in flight and the subscriber reading.
    const target = scaled(400);
    await live.waitForEvents(target, 60_000);
    await first.kill9();
    const acknowledged = await publishing;
    await live.ended;
    const beforeKill = live.events.map((event) => event.lastEventId);

    const started = Date.now();
    restarted = await startHubProcess(['--db-path', dbPath]);
    recordFigure('SIGKILL (SQLite): restart to listening', Date.now() - started, 'ms');
    const sentinel = await (
      await publishForm(restarted.hubUrl, { topic: TOPIC, data: 'after' }, token)
    ).text();
    const resumed = await openStream(subscribeUrlOf(restarted.hubUrl, [TOPIC]), {
      'last-event-id': beforeKill.at(-1)!,
    });
    const history = await openStream(subscribeUrlOf(restarted.hubUrl, [TOPIC], { lastEventID: 'earliest' }));
    const delivered = [...beforeKill, ...(await idsThrough(resumed, sentinel))];
    const kept = await idsThrough(history, sentinel);
    resumed.close();
    history.close();

    assert.equal(new Set(delivered).size, delivered.length, 'no update delivered twice');
    assert.deepEqual(delivered, kept, 'live then resumed is exactly the kept history, in order');
    const keptIds = new Set(kept);
    const lost = acknowledged.filter((id) => !keptIds.has(id));
    assert.deepEqual(lost, [], 'every acknowledged publish survived the SIGKILL');
    recordFigure('SIGKILL (SQLite): acknowledged before the kill', acknowledged.length);
    recordFigure(
      'SIGKILL (SQLite): stored but unacknowledged (in flight at the kill)',
      kept.length - 1 - acknowledged.length,
    );
    recordFigure('SIGKILL (SQLite): acknowledged updates lost', lost.length);
  });
});
