import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';

describe('/metrics and /healthz', () => {
  const hub = useTestHub({ anonymous: true });

  it('/metrics answers in the Prometheus text format content type', async () => {
    const response = await fetch(`${hub.url}/metrics`);
    await response.text();
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  });

  it('exposes subscribers, publishes, deliveries, replays, disconnects and publish-to-write latency', async () => {
    const publisher = await hub.token({ publish: ['*'] });
    const live = await openStream(hub.subscribeUrl(['m']));
    await hub.publish({ topic: 'm', data: '1', id: 'metric-1' }, publisher);
    await live.waitForEvents(1);
    const replaying = await openStream(hub.subscribeUrl(['m'], { lastEventID: 'earliest' }));
    await replaying.waitForEvents(1);
    const text = await (await fetch(`${hub.url}/metrics`)).text();
    assert.match(text, /^spout_hub_subscribers 2$/m);
    assert.match(text, /^spout_hub_published_updates_total 1$/m);
    assert.match(text, /^spout_hub_deliveries_total 1$/m);
    assert.match(text, /^spout_hub_replays_total 1$/m);
    assert.match(text, /^spout_hub_replayed_updates_total 1$/m);
    assert.match(text, /^spout_hub_publish_to_write_seconds_count 1$/m);
    assert.match(text, /^spout_hub_publish_requests_total\{status="200"\} 1$/m);
    assert.match(text, /spout_hub_process_open_fds/);
    live.close();
    await live.ended;
    await waitFor(async () =>
      /disconnects_total\{cause="client"\} 1/.test(await (await fetch(`${hub.url}/metrics`)).text()),
    );
    replaying.close();
  });

  it('/healthz answers 200 with the subscriber count while the store works', async () => {
    const res = await fetch(`${hub.url}/healthz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['status'], 'ok');
    assert.equal(typeof body['subscribers'], 'number');
  });

  it('answers 404 elsewhere, naming where the hub is', async () => {
    const res = await fetch(`${hub.url}/nothing`);
    assert.equal(res.status, 404);
    assert.match(await res.text(), /\/\.well-known\/mercure/);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
