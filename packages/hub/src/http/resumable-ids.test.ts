import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub, type TestHub } from '../testing/test-hub.ts';

const TOPIC = 'https://example.com/ids';

function publishJson(hub: TestHub, token: string, body: string): Promise<Response> {
  return fetch(hub.hubUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
}

describe('ids a publisher sets', () => {
  it('[policy] refuses an id that could not come back in a Last-Event-ID header, with 400 saying how to encode it', async () => {
    const hub = await startTestHub();
    try {
      const token = await hub.token({ publish: ['*'] });
      for (const id of [
        'ид-1',
        '☃-1',
        '😀-1',
        'ĉ',
        ' lead',
        'trail ',
        'tab\there',
        'bell\u0007',
        'c1\u0085',
      ]) {
        const refused = await hub.publish({ topic: TOPIC, id, data: '' }, token);
        assert.equal(refused.status, 400, JSON.stringify(id));
        assert.match(await refused.text(), /up to U\+00FF.*percent-encode/);
      }
    } finally {
      await hub.close();
    }
  });

  it('[spec] every id publish accepts can be resumed from, and comes back as the Last-Event-ID response header', async () => {
    const hub = await startTestHub({ anonymous: true });
    try {
      const token = await hub.token({ publish: ['*'] });
      const ids = ['urn:uuid:0f1e2d3c', 'https://example.com/%D0%B8%D0%B4/1', 'a b', '~!@$%^&*()_+{}|:"<>?'];
      for (const id of ids)
        assert.equal((await hub.publish({ topic: TOPIC, id, data: id }, token)).status, 200);
      assert.equal((await hub.publish({ topic: TOPIC, id: 'last', data: 'last' }, token)).status, 200);
      for (const [index, id] of ids.entries()) {
        const stream = await openStream(hub.subscribeUrl([TOPIC]), { 'last-event-id': id });
        assert.equal(stream.status, 200, id);
        assert.equal(stream.headers['last-event-id'], id);
        const expected = [...ids.slice(index + 1), 'last'];
        const events = await stream.waitForEvents(expected.length);
        assert.deepEqual(
          events.map((event) => event.lastEventId),
          expected,
        );
        stream.close();
      }
    } finally {
      await hub.close();
    }
  });

  it('refuses an id longer than maxIdLength with 400 naming the setting', async () => {
    const hub = await startTestHub({ limits: { maxIdLength: 64 } });
    try {
      const token = await hub.token({ publish: ['*'] });
      const refused = await hub.publish({ topic: TOPIC, id: 'x'.repeat(65), data: '' }, token);
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /maxIdLength/);
      assert.equal((await hub.publish({ topic: TOPIC, id: 'x'.repeat(64), data: '' }, token)).status, 200);
    } finally {
      await hub.close();
    }
  });

  it('refuses by default an id of 20,005 characters, which no Last-Event-ID header could carry', async () => {
    const hub = await startTestHub();
    try {
      const token = await hub.token({ publish: ['*'] });
      const refused = await hub.publish({ topic: TOPIC, id: 'y'.repeat(20_005), data: '' }, token);
      assert.equal(refused.status, 400);
      assert.match(await refused.text(), /maxIdLength/);
    } finally {
      await hub.close();
    }
  });

  it('refuses an id or type holding a lone surrogate with 400, storing nothing', async () => {
    const hub = await startTestHub({ anonymous: true });
    try {
      const token = await hub.token({ publish: ['*'] });
      for (const body of [
        '{"topic":"t","id":"\\ud800-1","data":"a"}',
        '{"topic":"t","id":"a-\\udfff","data":"a"}',
        '{"topic":"t","type":"\\ud83d","data":"a"}',
      ]) {
        const refused = await publishJson(hub, token, body);
        assert.equal(refused.status, 400, body);
      }
      const accepted = await publishJson(hub, token, '{"topic":"t","id":"marker","data":"a"}');
      assert.equal(accepted.status, 200);
      const stream = await openStream(hub.subscribeUrl(['t'], { lastEventID: 'earliest' }));
      const events = await stream.waitForEvents(1);
      assert.deepEqual(
        events.map((event) => event.lastEventId),
        ['marker'],
        'nothing of the refused updates was stored',
      );
      stream.close();
    } finally {
      await hub.close();
    }
  });
});
