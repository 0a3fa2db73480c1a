import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from './load.ts';
import { ConfigError } from './parse.ts';
import { configFile, KEY } from './testing/config-file.ts';

describe('hub configuration', () => {
  it('has defaults', () => {
    const config = loadConfig([], KEY);
    assert.equal(config.port, 3000);
    assert.equal(config.store, 'sqlite');
    assert.equal(config.anonymous, false);
    assert.equal(config.maxBodyBytes, 1024 * 1024);
  });

  it('reads the protocol setting from --protocol and SPOUT_PROTOCOL, both by default', () => {
    assert.equal(loadConfig([], KEY).protocol, 'both');
    assert.equal(loadConfig(['--protocol', 'current'], KEY).protocol, 'current');
    assert.equal(loadConfig([], { ...KEY, SPOUT_PROTOCOL: 'classic' }).protocol, 'classic');
    assert.throws(() => loadConfig(['--protocol', 'draft'], KEY), /must be one of classic, current, both/);
  });

  it('takes flags over environment over config file over defaults', () => {
    const file = configFile({ port: 4000, host: '0.0.0.0', heartbeat: '30s', maxSubscribers: 5 });
    const env = { ...KEY, SPOUT_PORT: '5000', SPOUT_MAX_SUBSCRIBERS: '6' };
    const config = loadConfig(['--config', file, '--port', '6000'], env);
    assert.equal(config.port, 6000);
    assert.equal(config.maxSubscribers, 6);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.heartbeat, 30_000);
  });

  it('reads booleans, lists, durations and sizes', () => {
    const config = loadConfig(
      [
        '--anonymous',
        '--no-metrics',
        '--cors-origins',
        'https://a.example, https://b.example',
        '--history-max-age=7d',
        '--subscriber-queue-bytes',
        '64kb',
      ],
      KEY,
    );
    assert.equal(config.anonymous, true);
    assert.equal(config.metrics, false);
    assert.deepEqual(config.corsOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.historyMaxAge, 7 * 86_400_000);
    assert.equal(config.subscriberQueueBytes, 65_536);
  });

  it('names the setting and its source in errors', () => {
    assert.throws(() => loadConfig(['--port', 'x'], KEY), /--port: must be an integer/);
    assert.throws(
      () => loadConfig([], { ...KEY, SPOUT_HEARTBEAT: 'often' }),
      /SPOUT_HEARTBEAT: must be a duration/,
    );
    assert.throws(() => loadConfig(['--config', configFile({ prot: 1 })], KEY), /unknown setting "prot"/);
    assert.throws(
      () => loadConfig(['--config', configFile({ anonymous: 'maybe' })], KEY),
      /"anonymous": must be true or false/,
    );
    assert.throws(() => loadConfig(['--colour'], KEY), /unknown option "--colour"/);
    assert.throws(
      () => loadConfig(['--store', 'postgres'], KEY),
      /--store: must be one of sqlite, memory, redis/,
    );
  });

  it('requires a key unless in development mode', () => {
    assert.throws(() => loadConfig([], {}), ConfigError);
    assert.equal(loadConfig(['--dev'], {}).dev, true);
  });

  it('requires cert and key together', () => {
    assert.throws(() => loadConfig(['--cert', 'c.pem'], KEY), /cert and key go together/);
  });

  it('allows corsOrigins * only alone and with anonymous subscribers', () => {
    assert.throws(() => loadConfig(['--cors-origins', '*'], KEY), /corsOrigins/);
    assert.deepEqual(loadConfig(['--cors-origins', '*', '--anonymous'], KEY).corsOrigins, ['*']);
  });
});
