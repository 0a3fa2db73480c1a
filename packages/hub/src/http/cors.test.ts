import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHub } from '../hub/hub.ts';
import { createMemoryStore } from '../store/index.ts';
import { useTestHub } from '../testing/hub-fixture.ts';
import { openStream } from '../testing/sse-reader.ts';
import { startTestHub } from '../testing/test-hub.ts';

describe('CORS', () => {
  const hub = useTestHub({ anonymous: true, corsOrigins: ['https://app.example'] });

  it('answers a preflight from an allowed origin, with credentials', async () => {
    const res = await fetch(hub.hubUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  });

  it('lets an allowed origin read the stream and the Last-Event-ID header', async () => {
    const stream = await openStream(hub.subscribeUrl(['a'], { lastEventID: 'earliest' }), {
      origin: 'https://app.example',
    });
    assert.equal(stream.headers['access-control-allow-origin'], 'https://app.example');
    assert.match(String(stream.headers['access-control-expose-headers']), /Last-Event-ID/);
    stream.close();
  });

  it('gives nothing to an origin that is not allowed', async () => {
    const stream = await openStream(hub.subscribeUrl(['a']), { origin: 'https://evil.example' });
    assert.equal(stream.headers['access-control-allow-origin'], undefined);
    stream.close();
  });

  it('error answers carry CORS headers so that the browser can read why', async () => {
    const res = await fetch(hub.subscribeUrl([]), { headers: { origin: 'https://app.example' } });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
  });

  it('* answers every origin without credentials on an anonymous hub', async () => {
    const hub = await startTestHub({ anonymous: true, corsOrigins: ['*'] });
    const stream = await openStream(hub.subscribeUrl(['a']), { origin: 'https://any.example' });
    assert.equal(stream.headers['access-control-allow-origin'], '*');
    assert.equal(stream.headers['access-control-allow-credentials'], undefined);
    stream.close();
    await hub.close();
  });

  it('refuses * when subscribers need tokens', async () => {
    await assert.rejects(
      createHub({ store: createMemoryStore(), corsOrigins: ['*'], anonymous: false }),
      /corsOrigins "\*"/,
    );
  });
});
