import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';

describe('publication ([spec] Publication)', () => {
  const hub = useTestHub({ anonymous: true });
  let publisher: string;
  before(async () => {
    publisher = await hub.token({ publish: ['*'] });
  });

  it('MUST answer a success status with the id of the update as the body', async () => {
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x', id: 'urn:example:1' }, publisher);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await res.text(), 'urn:example:1');
  });

  it('MUST generate a valid IRI as id when the publisher gives none', async () => {
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x' }, publisher);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^urn:uuid:[0-9a-f-]{36}$/);
  });

  it('rejects an id starting with # ([spec] the provided id MUST NOT start with #)', async () => {
    const res = await hub.publish({ topic: 'https://e.com/a', data: 'x', id: '#1' }, publisher);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /must not start with "#"/);
  });

  it('MUST dispatch the update to subscribers of the canonical or of an alternate topic', async () => {
    const canonical = await openStream(hub.subscribeUrl(['https://e.com/canonical']));
    const alternate = await openStream(hub.subscribeUrl(['https://e.com/alternate']));
    const fields: [string, string][] = [
      ['topic', 'https://e.com/canonical'],
      ['topic', 'https://e.com/alternate'],
      ['data', 'both'],
    ];
    assert.equal((await hub.publish(fields, publisher)).status, 200);
    const [a] = await canonical.waitForEvents(1);
    const [b] = await alternate.waitForEvents(1);
    assert.equal(a?.data, 'both');
    assert.equal(b?.data, 'both');
    canonical.close();
    alternate.close();
  });

  it('carries data, id, type and retry into the SSE fields, with multi-line data split correctly', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/fields']));
    const body = {
      topic: 'https://e.com/fields',
      data: 'line 1\nline 2\r\nline 3',
      id: 'f-1',
      type: 'change',
      retry: '2500',
    };
    assert.equal((await hub.publish(body, publisher)).status, 200);
    const [event] = await stream.waitForEvents(1);
    assert.deepEqual(
      { type: event?.type, data: event?.data, id: event?.lastEventId },
      { type: 'change', data: 'line 1\nline 2\nline 3', id: 'f-1' },
    );
    assert.deepEqual(stream.retries, [2500]);
    stream.close();
  });

  it('delivers an update with empty data (data is optional)', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/empty']));
    await hub.publish({ topic: 'https://e.com/empty' }, publisher);
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, '');
    stream.close();
  });

  it('answers 400 naming the field when topic is missing', async () => {
    const res = await hub.publish({ data: 'x' }, publisher);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /missing "topic"/);
  });

  it('answers 400 for a retry that is not a number of milliseconds', async () => {
    const res = await hub.publish({ topic: 'a', retry: 'soon' }, publisher);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /"retry"/);
  });

  it('answers 400 for an id or type with a line break, which would corrupt the stream', async () => {
    assert.equal((await hub.publish({ topic: 'a', id: 'x\ny' }, publisher)).status, 400);
    assert.equal((await hub.publish({ topic: 'a', type: 'x\ry' }, publisher)).status, 400);
  });

  it('answers 400 for a topic with a control character ([draft-08] topics MUST NOT contain C0 or C1 controls)', async () => {
    const res = await hub.publish({ topic: 'https://e.com/a\u0007b', data: 'x' }, publisher);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /control character/);
  });

  it('answers 409 when the publisher reuses an id for a different update', async () => {
    assert.equal((await hub.publish({ topic: 'a', id: 'dup-1', data: 'first' }, publisher)).status, 200);
    const res = await hub.publish({ topic: 'a', id: 'dup-1', data: 'second' }, publisher);
    assert.equal(res.status, 409);
  });

  it('answers a retry (same id, same content) as the first attempt, without dispatching it twice', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/retry']));
    const fields = { topic: 'https://e.com/retry', id: 'retry-1', data: 'once' };
    assert.equal((await hub.publish(fields, publisher)).status, 200);
    const retry = await hub.publish(fields, publisher);
    assert.equal(retry.status, 200);
    assert.equal(await retry.text(), 'retry-1');
    await hub.publish({ topic: 'https://e.com/retry', data: 'marker' }, publisher);
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['once', 'marker'],
    );
    stream.close();
  });

  it('answers 400 for a body that is not UTF-8 (field values MUST be UTF-8)', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.concat([Buffer.from('topic=a&data='), Buffer.from([0xff, 0xfe])]),
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /UTF-8/);
  });

  it('answers 400 for a percent-encoded field that is not UTF-8 ([spec] values MUST be UTF-8)', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'topic=https://e.com/%FF&data=x',
    });
    assert.equal(res.status, 400);
  });

  it('answers 415 for an unsupported content type', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'text/plain' },
      body: 'topic=a',
    });
    assert.equal(res.status, 415);
  });

  it('refuses topics in the reserved /.well-known/mercure namespace with 403 (no forged subscription events)', async () => {
    for (const topic of [
      '/.well-known/mercure/subscriptions/a/b',
      'https://other.example/.well-known/./mercure/subscriptions/a/b',
      '/x/../.well-known/mercure',
    ]) {
      const res = await hub.publish({ topic, data: '{}' }, publisher);
      assert.equal(res.status, 403, topic);
    }
    const allowed = await hub.publish({ topic: 'https://e.com/.well-known/other', data: '{}' }, publisher);
    assert.equal(allowed.status, 200);
  });
});

describe('JSON publishing (extension)', () => {
  const hub = useTestHub({ anonymous: true });
  let publisher: string;
  before(async () => {
    publisher = await hub.token({ publish: ['https://e.com/{x}'] });
  });

  function postJson(body: unknown): Promise<Response> {
    return fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('accepts one update as a JSON object and answers its id', async () => {
    const res = await postJson({ topic: 'https://e.com/j', data: 'x', id: 'json-1', private: true });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'json-1');
  });

  it('accepts a batch as a JSON array and answers the ids in order', async () => {
    const stream = await openStream(hub.subscribeUrl(['https://e.com/{x}']));
    const res = await postJson([
      { topic: 'https://e.com/b1', data: '1', id: 'b-1' },
      { topic: ['https://e.com/b2'], data: '2' },
    ]);
    assert.equal(res.status, 200);
    const ids = (await res.json()) as string[];
    assert.equal(ids[0], 'b-1');
    assert.match(ids[1] ?? '', /^urn:uuid:/);
    const events = await stream.waitForEvents(2);
    assert.deepEqual(
      events.map((e) => e.data),
      ['1', '2'],
    );
    stream.close();
  });

  it('stores a batch all or nothing: one unauthorized topic refuses the whole batch with 403', async () => {
    const stream = await openStream(hub.subscribeUrl(['*']));
    const res = await postJson([
      { topic: 'https://e.com/ok', data: 'allowed', id: 'batch-ok' },
      { topic: 'https://other.com/no', data: 'refused' },
    ]);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /update 1/);
    // Nothing of the batch was dispatched: the next event is the one published after it.
    await postJson({ topic: 'https://e.com/after', data: 'after' });
    const [event] = await stream.waitForEvents(1);
    assert.equal(event?.data, 'after');
    stream.close();
  });

  it('answers 400 with the index of a malformed update in a batch', async () => {
    const res = await postJson([{ topic: 'https://e.com/1' }, { data: 'no topic' }]);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /update 1: missing "topic"/);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(res.status, 400);
  });

  it('[policy] refuses a body that is not JSON with a one-line reason, even when the body has line breaks', async () => {
    for (const body of ['x\ny', 'x\r\ny\rz']) {
      const res = await fetch(hub.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${publisher}`, 'content-type': 'application/json' },
        body,
      });
      assert.equal(res.status, 400);
      const text = await res.text();
      assert.match(text, /^the body is not valid JSON: [^\r\n]+\n$/, JSON.stringify(text));
    }
  });
});
