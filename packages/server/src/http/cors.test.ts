import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startHttpServer } from '../testing/sse-client.ts';
import { createCors } from './cors.ts';

describe('createCors', () => {
  const cors = createCors({ origins: ['https://app.example'], credentials: true });

  test('[Fetch] names the allowed origin, with credentials, and varies on Origin', () => {
    assert.deepEqual(cors.headers('https://app.example'), {
      'access-control-allow-origin': 'https://app.example',
      vary: 'Origin',
      'access-control-allow-credentials': 'true',
    });
  });

  test('gives no CORS header to an origin not in the list', () => {
    assert.deepEqual(cors.headers('https://evil.example'), {});
    assert.deepEqual(cors.headers(undefined), {});
    assert.equal(cors.isAllowed('https://evil.example'), false);
  });

  test('[Fetch] refuses "*" with credentials', () => {
    assert.throws(() => createCors({ origins: ['*'], credentials: true }), /cannot be used with credentials/);
  });

  test('allows any origin with "*" when there are no credentials', () => {
    const open = createCors({ origins: ['*'] });
    assert.deepEqual(open.headers('https://any.example'), { 'access-control-allow-origin': '*' });
  });

  test('accepts a predicate', () => {
    const sub = createCors({ origins: (origin) => origin.endsWith('.example.com') });
    assert.equal(sub.isAllowed('https://a.example.com'), true);
    assert.equal(sub.isAllowed('https://example.org'), false);
  });

  test('answers a preflight allowing Last-Event-ID', () => {
    const headers = cors.preflightHeaders('https://app.example');
    assert.match(headers['access-control-allow-headers'] ?? '', /last-event-id/);
    assert.equal(headers['access-control-allow-methods'], 'GET, POST, OPTIONS');
  });

  test('handle() answers preflights over node:http: 204 when allowed, 403 when not', async () => {
    const server = await startHttpServer((req, res) => {
      if (!cors.handle(req, res)) res.end('ok');
    });
    const allowed = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example' },
    });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://app.example');
    const denied = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    assert.equal(denied.status, 403);
    const get = await fetch(server.url, { headers: { origin: 'https://app.example' } });
    assert.equal(get.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(await get.text(), 'ok');
    await server.close();
  });
});
