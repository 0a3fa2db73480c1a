import assert from 'node:assert/strict';
import { once } from 'node:events';
import http, { request } from 'node:http';
import { before, describe, it } from 'node:test';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub, type TestHub } from '../testing/test-hub.ts';

async function metric(hub: TestHub, line: RegExp): Promise<string | undefined> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  return text.split('\n').find((l) => line.test(l));
}

describe('limits', () => {
  const hub = useTestHub({
    anonymous: true,
    limits: {
      maxBodyBytes: 1000,
      maxBatchSize: 3,
      maxSelectors: 2,
      maxSelectorLength: 20,
      maxSubscribers: 4,
      maxSubscribersPerAddress: 2,
      maxTopicsPerUpdate: 2,
    },
  });
  let publisher: string;
  before(async () => {
    publisher = await hub.token({ publish: ['*'] });
  });

  it('answers 413 for a body larger than maxBodyBytes', async () => {
    const res = await hub.publish({ topic: 'a', data: 'x'.repeat(2000) }, publisher);
    assert.equal(res.status, 413);
    assert.match(await res.text(), /maxBodyBytes/);
  });

  it('answers 413 for a chunked body as soon as it passes maxBodyBytes, without waiting for its end', async () => {
    const url = new URL(hub.hubUrl);
    const request = http.request({
      host: url.hostname,
      port: url.port,
      path: url.pathname,
      method: 'POST',
      headers: {
        authorization: `Bearer ${publisher}`,
        'content-type': 'application/x-www-form-urlencoded',
        'transfer-encoding': 'chunked',
      },
    });
    const response = once(request, 'response') as Promise<[http.IncomingMessage]>;
    request.write(`topic=a&data=${'x'.repeat(1500)}`);
    // The body never ends: the answer must not wait for it.
    const [res] = await response;
    assert.equal(res.statusCode, 413);
    res.resume();
    request.destroy();
  });

  it('answers 413 for a batch larger than maxBatchSize', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ topic: 'a' }, { topic: 'b' }, { topic: 'c' }, { topic: 'd' }]),
    });
    assert.equal(res.status, 413);
    assert.match(await res.text(), /maxBatchSize/);
  });

  it('answers 400 for more topics per update than maxTopicsPerUpdate', async () => {
    const fields: [string, string][] = [
      ['topic', 'a'],
      ['topic', 'b'],
      ['topic', 'c'],
    ];
    const res = await hub.publish(fields, publisher);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /maxTopicsPerUpdate/);
  });

  it('answers 400 for more selectors than maxSelectors ([spec] the hub MAY apply a limit)', async () => {
    const res = await fetch(hub.subscribeUrl(['a', 'b', 'c']));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /maxSelectors/);
  });

  it('answers 400 for a selector longer than maxSelectorLength', async () => {
    const res = await fetch(hub.subscribeUrl(['x'.repeat(21)]));
    assert.equal(res.status, 400);
    assert.match(await res.text(), /maxSelectorLength/);
  });

  it('answers 429 with Retry-After past maxSubscribersPerAddress', async () => {
    const open = [await openStream(hub.subscribeUrl(['a'])), await openStream(hub.subscribeUrl(['a']))];
    const refused = await fetch(hub.subscribeUrl(['a']));
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.match(await refused.text(), /maxSubscribersPerAddress/);
    for (const stream of open) stream.close();
  });

  it('counts the X-Forwarded-For entry the trusted proxy appended, not one the client supplied', async () => {
    const forwarded = await startTestHub({
      anonymous: true,
      trustProxy: true,
      limits: { maxSubscribersPerAddress: 1 },
    });
    const url = forwarded.subscribeUrl(['a']);
    // The proxy appends the real peer (10.0.0.9) after whatever the client sent.
    const open = await openStream(url, { 'x-forwarded-for': '1.1.1.1, 10.0.0.9' });
    const spoofed = await openStream(url, { 'x-forwarded-for': '2.2.2.2, 10.0.0.9' });
    assert.equal(spoofed.status, 429);
    spoofed.close();
    const other = await openStream(url, { 'x-forwarded-for': '1.1.1.1, 10.0.0.10' });
    assert.equal(other.status, 200);
    other.close();
    open.close();
    await forwarded.close();
  });

  it('answers 429 with Retry-After past maxSubscribers', async () => {
    const forwarded = await startTestHub({
      anonymous: true,
      trustProxy: true,
      limits: { maxSubscribers: 2 },
    });
    const url = forwarded.subscribeUrl(['a']);
    const open = [
      await openStream(url, { 'x-forwarded-for': '10.0.0.1' }),
      await openStream(url, { 'x-forwarded-for': '10.0.0.2' }),
    ];
    const refused = await openStream(url, { 'x-forwarded-for': '10.0.0.3' });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers['retry-after']) > 0);
    refused.close();
    for (const stream of open) stream.close();
    await forwarded.close();
  });
});

describe('per-subscriber queue cap', () => {
  it('disconnects a subscriber that reads too slowly; it can catch up by Last-Event-ID', async () => {
    const hub = await startTestHub({
      anonymous: true,
      limits: { subscriberQueueBytes: 64 * 1024, maxBodyBytes: 2 * 1024 * 1024 },
    });
    const publisher = await hub.token({ publish: ['*'] });
    // A subscriber that never reads: the kernel buffers fill, then the hub's queue.
    const stalled = request(hub.subscribeUrl(['slow']));
    const response = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      stalled.on('response', resolve);
      stalled.end();
    });
    response.pause();
    const data = 'x'.repeat(16 * 1024);
    let overflow: string | undefined;
    for (let round = 0; round < 200 && overflow === undefined; round++) {
      const batch = Array.from({ length: 64 }, () => ({ topic: 'slow', data }));
      const res = await fetch(hub.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' },
        body: JSON.stringify(batch),
      });
      assert.equal(res.status, 200);
      overflow = await metric(hub, /^spout_hub_disconnects_total\{cause="overflow"\} 1/);
    }
    assert.ok(overflow, 'the slow subscriber was disconnected for overflow');
    stalled.destroy();
    // Catching up: every kept update is still there for a reconnect.
    const resumed = await openStream(hub.subscribeUrl(['slow'], { lastEventID: 'earliest' }));
    await resumed.waitForEvents(64);
    resumed.close();
    await hub.close();
  });
});
