/**
 * SIGKILL of a hub process on the SQLite store while publishers and a subscriber are busy:
 * after a restart on the same file, every publish that was answered 200 is delivered to the
 * subscriber resuming by Last-Event-ID, in history order, none twice.
 */
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { temporaryDirectory } from '../../src/store/testing/temp-dir.ts';
import { openStream } from '../../src/testing/sse-reader.ts';
import { subscribeUrlOf } from '../../src/testing/test-hub.ts';
import {
  assertResumesExactly,
  type HubProcess,
  publisherToken,
  publishUntilDown,
  recordFigure,
  scaled,
  startHubProcess,
} from './testing/harness.ts';

const TOPIC = 'https://example.com/killed';

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
    const token = await publisherToken();
    const first = await startHubProcess(['--db-path', dbPath]);
    const live = await openStream(subscribeUrlOf(first.hubUrl, [TOPIC]));
    const publishing = publishUntilDown(first.hubUrl, TOPIC, token, 8);
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
    const kept = await assertResumesExactly(restarted.hubUrl, TOPIC, token, beforeKill, acknowledged);
    recordFigure('SIGKILL (SQLite): acknowledged before the kill', acknowledged.length);
    recordFigure(
      'SIGKILL (SQLite): stored but unacknowledged (in flight at the kill)',
      kept.length - acknowledged.length,
    );
  });
});
