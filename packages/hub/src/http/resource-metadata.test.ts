import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestHub } from '../testing/test-hub.ts';

const PATH = '/.well-known/oauth-protected-resource/.well-known/mercure';

describe('protected resource metadata ([spec] current: Protected Resource Metadata)', () => {
  it('[spec] the hub SHOULD publish it; it MUST include resource, the hub URL', async () => {
    const hub = await startTestHub({ subscriptions: true });
    const res = await fetch(new URL(PATH, hub.hubUrl));
    assert.equal(res.status, 200);
    const doc = (await res.json()) as Record<string, unknown>;
    assert.equal(doc['resource'], hub.hubUrl);
    assert.deepEqual(doc['authorization_details_types_supported'], ['mercure']);
    assert.deepEqual(doc['bearer_methods_supported'], ['header']);
    assert.equal(doc['mercure_cookie'], true);
    assert.equal(doc['mercure_subscriptions'], true);
    await hub.close();
  });

  it('[spec] Bearer challenges SHOULD include resource_metadata', async () => {
    const hub = await startTestHub();
    const res = await fetch(hub.urlWith([['match', 'https://e.com/a']]));
    assert.equal(res.status, 401);
    const expected = `resource_metadata="${new URL(PATH, hub.hubUrl).toString()}"`;
    assert.ok(
      res.headers.get('www-authenticate')?.includes(expected),
      res.headers.get('www-authenticate') ?? '',
    );
    await hub.close();
  });

  it('a classic-only hub publishes no metadata ([spec] its absence hints at a pre-standard hub)', async () => {
    const hub = await startTestHub({ protocol: 'classic' });
    assert.equal((await fetch(new URL(PATH, hub.hubUrl))).status, 404);
    await hub.close();
  });
});
