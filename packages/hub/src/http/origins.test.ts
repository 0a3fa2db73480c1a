import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestHub } from '../testing/test-hub.ts';
import { originMatcher, originRefusal } from './origins.ts';

describe('allowed origins (corsOrigins)', () => {
  it('accepts origins as browsers send them, the subdomain wildcard, and *', () => {
    for (const origin of ['https://app.example.com', 'http://127.0.0.1:8080', 'https://*.example.com', '*']) {
      assert.equal(originRefusal(origin), undefined, origin);
    }
  });

  it('refuses at start what could never match: a trailing slash, a path, no scheme', () => {
    assert.match(originRefusal('https://app.example.com/') ?? '', /no trailing slash/);
    assert.match(originRefusal('https://app.example.com/path') ?? '', /no path/);
    assert.match(originRefusal('app.example.com') ?? '', /not an origin/);
  });

  it('a wildcard matches subdomains at any depth, with the same scheme, not the bare host', () => {
    const allowed = originMatcher(['https://*.example.com']);
    assert.equal(allowed('https://a.example.com'), true);
    assert.equal(allowed('https://a.b.example.com'), true);
    assert.equal(allowed('https://example.com'), false);
    assert.equal(allowed('http://a.example.com'), false);
    assert.equal(allowed('https://evil-example.com'), false);
  });

  it('a hub with a wildcard answers CORS for a subdomain', async () => {
    const hub = await startTestHub({ anonymous: true, corsOrigins: ['https://*.example.com'] });
    const res = await fetch(hub.subscribeUrl(['x']), {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com' },
    });
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example.com');
    await hub.close();
  });

  it('a hub refuses to start with an origin that could never match', async () => {
    await assert.rejects(startTestHub({ corsOrigins: ['https://app.example.com/'] }), /trailing slash/);
  });
});
