import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_DETAILS, readAuthorizationDetails } from './authorization-details.ts';
import { ClaimsError } from './claims.ts';

const HUB = 'https://hub.example/.well-known/mercure';

function read(details: unknown) {
  return readAuthorizationDetails({ authorization_details: details }, HUB);
}

describe('authorization details ([spec] current: Authorization Details; Topic Matcher List)', () => {
  it("[spec] grants each action on the detail's topics: publish and subscribe", () => {
    const claims = read([
      { type: 'mercure', actions: ['publish'], topics: [{ match: 'https://e.com/a' }] },
      {
        type: 'mercure',
        actions: ['subscribe'],
        topics: [{ match: 'https://e.com/b/:id', match_type: 'urlpattern' }],
      },
    ]);
    assert.equal(claims.publish?.[0]?.matches('https://e.com/a'), true);
    assert.equal(claims.subscribe?.[0]?.matches('https://e.com/b/1'), true);
    assert.equal(claims.subscribe?.length, 1);
  });

  it('[spec] "If no match_type key is present, the hub MUST assume the exact matcher type"', () => {
    const claims = read([
      { type: 'mercure', actions: ['subscribe'], topics: [{ match: 'https://e.com/{id}' }] },
    ]);
    assert.equal(claims.subscribe?.[0]?.matches('https://e.com/1'), false);
    assert.equal(claims.subscribe?.[0]?.matches('https://e.com/{id}'), true);
  });

  it('[spec] "A match value of * is the reserved wildcard and matches every topic"', () => {
    const claims = read([
      { type: 'mercure', actions: ['publish'], topics: [{ match: '*', match_type: 'exact' }] },
    ]);
    assert.equal(claims.publish?.[0]?.matches('anything'), true);
  });

  it('[spec] "Hubs MUST ignore action values they do not recognize"', () => {
    const claims = read([{ type: 'mercure', actions: ['delete', 'subscribe'], topics: [{ match: 'a' }] }]);
    assert.equal(claims.subscribe?.length, 1);
    assert.equal(claims.publish?.length, 0);
  });

  it('[spec] "Tokens with no mercure authorization detail grant no publish or subscribe rights"', () => {
    const claims = read([{ type: 'payment_initiation', actions: ['publish'] }]);
    assert.deepEqual([claims.publish, claims.subscribe], [[], []]);
    assert.deepEqual(readAuthorizationDetails({}, HUB).publish, []);
  });

  it('[spec] "a match_type the hub does not support MUST cause the token to be rejected"', () => {
    const details = [
      { type: 'mercure', actions: ['subscribe'], topics: [{ match: 'a', match_type: 'URLPattern' }] },
    ];
    assert.throws(() => read(details), ClaimsError);
  });

  it('[spec] an entry that is not a JSON object "MUST cause the token to be rejected"', () => {
    assert.throws(() => read([{ type: 'mercure', actions: ['subscribe'], topics: ['a'] }]), ClaimsError);
  });

  it('[spec] "A non-string entry in actions remains a validation failure"; actions and topics MUST be non-empty', () => {
    assert.throws(
      () => read([{ type: 'mercure', actions: ['subscribe', 1], topics: [{ match: 'a' }] }]),
      ClaimsError,
    );
    assert.throws(() => read([{ type: 'mercure', actions: [], topics: [{ match: 'a' }] }]), ClaimsError);
    assert.throws(() => read([{ type: 'mercure', actions: ['publish'], topics: [] }]), ClaimsError);
  });

  it('[spec] a failing detail rejects the token: the hub "MUST NOT act on the basis of the remaining entries"', () => {
    const details = [
      { type: 'mercure', actions: ['publish'], topics: [{ match: '*' }] },
      {
        type: 'mercure',
        actions: ['publish'],
        topics: [{ match: 'https://e.com/:x((?:a+)+b)', match_type: 'urlpattern' }],
      },
    ];
    assert.throws(() => read(details), ClaimsError);
  });

  it('[spec] tokens exceeding the limits "MUST be rejected as invalid tokens"', () => {
    const one = { type: 'mercure', actions: ['subscribe'], topics: [{ match: 'a' }] };
    assert.throws(() => read(Array.from({ length: MAX_DETAILS + 1 }, () => one)), /more than/);
  });

  it('[spec] the payload "of the first subscribe authorization detail whose topics matches the subscription\'s own matcher"', () => {
    const claims = read([
      {
        type: 'mercure',
        actions: ['subscribe'],
        topics: [{ match: 'https://e.com/foo' }],
        payload: { one: 1 },
      },
      {
        type: 'mercure',
        actions: ['subscribe'],
        topics: [{ match: 'https://e.com/bar/:id', match_type: 'urlpattern' }],
        payload: { two: 2 },
      },
      { type: 'mercure', actions: ['subscribe'], topics: [{ match: '*' }], payload: { three: 3 } },
    ]);
    assert.deepEqual(claims.payloadFor?.('https://e.com/foo'), { one: 1 });
    // The matcher string is taken as a topic: the URL pattern itself matches the pattern detail.
    assert.deepEqual(claims.payloadFor?.('https://e.com/bar/:id'), { two: 2 });
    assert.deepEqual(claims.payloadFor?.('https://e.com/other'), { three: 3 });
  });
});
