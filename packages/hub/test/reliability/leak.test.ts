/**
 * 10,000 subscriptions opened and dropped (live, resuming from a known id, from ids outside
 * ASCII known and unknown, from an unknown id, dropped before the answer, refused), in parallel
 * batches: afterwards the hub process holds as many file descriptors and subscribers as before.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { temporaryDirectory } from '../../src/store/testing/temp-dir.ts';
import { publishForm, publishJson, subscribeUrlOf } from '../../src/testing/test-hub.ts';
import {
  eventually,
  exchange,
  type HubProcess,
  metricValue,
  openFds,
  publisherToken,
  recordFigure,
  rssBytes,
  scaled,
  startHubProcess,
  utf8HeaderBytes,
} from './testing/harness.ts';

const TOPIC = 'https://example.com/leak';
const PARALLEL = 100;

/** Sends a subscription request and drops the connection before reading any answer. */
function dropBeforeAnswer(url: string): Promise<void> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname, () => {
      socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\n\r\n`, () => {
        socket.destroy();
        resolve();
      });
    });
    socket.on('error', () => resolve());
  });
}

describe('connect/disconnect cycles', { timeout: 170_000 }, () => {
  let dir: Awaited<ReturnType<typeof temporaryDirectory>>;
  let hub: HubProcess;
  before(async () => {
    dir = await temporaryDirectory();
    hub = await startHubProcess(['--db-path', join(dir.path, 'hub.db')]);
  });
  after(async () => {
    await hub.stop();
    await dir.dispose();
  });

  it('after 10,000 connect/disconnect cycles the hub holds as many file descriptors and subscribers as before', async () => {
    const token = await publisherToken();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(await (await publishForm(hub.hubUrl, { topic: TOPIC, data: `${i}` }, token)).text());
    // Ids outside ASCII travel as raw UTF-8 header bytes, as browsers send them.
    assert.equal((await publishJson(hub.hubUrl, { topic: TOPIC, id: 'é-leak' }, token)).status, 200);
    const live = subscribeUrlOf(hub.hubUrl, [TOPIC]);
    // Warm up (lazy modules, pools), then take the baseline.
    await exchange(live, {});
    await eventually(
      async () => (await metricValue(hub.url, 'spout_hub_subscribers')) === 0,
      'warm-up closed',
    );
    const fdsBefore = openFds(hub.pid);
    const rssBefore = rssBytes(hub.pid);
    const kinds = [
      () => exchange(live, {}),
      () => exchange(live, { headers: { 'last-event-id': ids[0]! } }),
      () => exchange(live, { headers: { 'last-event-id': 'never-published' } }),
      () => exchange(live, { headers: { 'last-event-id': utf8HeaderBytes('é-leak') } }),
      () => exchange(live, { headers: { 'last-event-id': utf8HeaderBytes('ид-unknown') } }),
      () => dropBeforeAnswer(live),
      () => exchange(subscribeUrlOf(hub.hubUrl, []), {}), // refused: 400
    ];
    const cycles = scaled(10_000);
    const started = Date.now();
    for (let done = 0; done < cycles; done += PARALLEL) {
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL, cycles - done) }, (_, i) =>
          kinds[(done + i) % kinds.length]!(),
        ),
      );
    }
    recordFigure('connect/disconnect cycles', cycles);
    recordFigure('connect/disconnect cycles: wall time', Date.now() - started, 'ms');
    let subscribers = -1;
    await eventually(
      async () => {
        subscribers = await metricValue(hub.url, 'spout_hub_subscribers');
        return subscribers === 0;
      },
      () => `every subscriber of the cycles unregistered (${subscribers} still counted)`,
    );
    // Sockets close asynchronously; a leak keeps them open forever.
    await eventually(() => openFds(hub.pid) <= fdsBefore, `file descriptors back to ${fdsBefore}`);
    recordFigure(
      'connect/disconnect cycles: file descriptors before/after',
      `${fdsBefore}/${openFds(hub.pid)}`,
    );
    recordFigure(
      'connect/disconnect cycles: hub RSS growth',
      Math.round((rssBytes(hub.pid) - rssBefore) / 1024 / 1024),
      'MiB',
    );
    assert.equal((await exchange(`${hub.url}/healthz`, {})).status, 200);
  });
});
