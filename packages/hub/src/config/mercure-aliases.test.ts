import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './load.ts';
import { applyMercureAliases } from './mercure-aliases.ts';
import { KEY } from './testing/config-file.ts';

describe('MERCURE_* aliases (migrating from the Go hub)', () => {
  it("reads the Go hub's key, algorithm, anonymous, CORS and heartbeat variables as Spout settings", () => {
    const config = loadConfig([], {
      MERCURE_PUBLISHER_JWT_KEY: 'publisher-secret-0123456789abcdef',
      MERCURE_PUBLISHER_JWT_ALG: 'HS512',
      MERCURE_SUBSCRIBER_JWT_KEY: 'subscriber-secret-0123456789abcdef',
      MERCURE_ANONYMOUS: 'true',
      MERCURE_CORS_ORIGINS: 'https://a.example https://b.example',
      MERCURE_HEARTBEAT_INTERVAL: '40s',
    });
    assert.equal(config.publisherJwtKey, 'publisher-secret-0123456789abcdef');
    assert.deepEqual(config.publisherJwtAlgorithms, ['HS512']);
    assert.equal(config.subscriberJwtKey, 'subscriber-secret-0123456789abcdef');
    assert.equal(config.anonymous, true);
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.heartbeat, 40_000);
  });

  it('warns once per alias, naming the Spout setting, its variable and its flag', () => {
    const { warnings } = applyMercureAliases({ MERCURE_PUBLISHER_JWT_KEY: 'k' });
    assert.deepEqual(warnings, [
      {
        name: 'MERCURE_PUBLISHER_JWT_KEY',
        message:
          'MERCURE_PUBLISHER_JWT_KEY is read as publisherJwtKey (SPOUT_PUBLISHER_JWT_KEY, --publisher-jwt-key); rename it',
      },
    ]);
  });

  it('a SPOUT_* variable wins over its alias, and the warning says so', () => {
    const env = { ...KEY, SPOUT_HEARTBEAT: '5s', MERCURE_HEARTBEAT_INTERVAL: '40s' };
    assert.equal(loadConfig([], env).heartbeat, 5000);
    assert.match(applyMercureAliases(env).warnings[0]?.message ?? '', /ignored: SPOUT_HEARTBEAT is set/);
  });

  it('a redis:// transport URL selects the Redis store; other transports are ignored with a warning', () => {
    const config = loadConfig([], { ...KEY, MERCURE_TRANSPORT_URL: 'redis://cache:6379' });
    assert.equal(config.store, 'redis');
    assert.equal(config.redisUrl, 'redis://cache:6379');
    const bolt = applyMercureAliases({ MERCURE_TRANSPORT_URL: 'bolt://mercure.db' });
    assert.match(bolt.warnings[0]?.message ?? '', /only redis:\/\/ transports map/);
    assert.equal(bolt.env['SPOUT_STORE'], undefined);
  });

  it('variables without an equivalent are named with what to do instead', () => {
    const { warnings } = applyMercureAliases({ MERCURE_PUBLISHER_ORIGINS: 'https://a.example' });
    assert.match(warnings[0]?.message ?? '', /corsOrigins/);
  });
});
