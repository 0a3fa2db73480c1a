import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveSettings } from './load.ts';
import { DEFAULTS } from './settings.ts';

describe('settings given in code', () => {
  it('fills every setting left out with its default', () => {
    const config = resolveSettings({ jwtKey: 'k', port: 0 });
    assert.equal(config.port, 0);
    assert.equal(config.heartbeat, DEFAULTS.heartbeat);
    assert.equal(config.maxBodyBytes, DEFAULTS.maxBodyBytes);
    assert.equal(config.metricsToken, undefined);
  });

  it('reads durations and sizes given as text as the command line does', () => {
    const config = resolveSettings({ jwtKey: 'k', heartbeat: '2s', maxBodyBytes: '64kb' });
    assert.equal(config.heartbeat, 2000);
    assert.equal(config.maxBodyBytes, 65_536);
  });

  it('refuses a bad value or an unknown name, naming it', () => {
    assert.throws(
      () => resolveSettings({ jwtKey: 'k', port: 70_000 }),
      /settings: "port": must be at most 65535/,
    );
    const unknown = { jwtKey: 'k', prot: 1 } as never;
    assert.throws(() => resolveSettings(unknown), /settings: unknown setting "prot"; did you mean "port"\?/);
  });

  it('makes the checks spout hub makes', () => {
    assert.throws(() => resolveSettings({}), /jwtKey: no key verifies publishers' tokens/);
    assert.throws(() => resolveSettings({ jwtKey: 'k', cert: 'c.pem' }), /cert and key go together/);
  });
});
