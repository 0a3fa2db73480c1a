import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, unknownEnvironmentVariables } from './load.ts';
import { editDistance, nearest } from './suggest.ts';
import { configFile, KEY } from './testing/config-file.ts';

describe('unknown setting names', () => {
  it('names an unknown SPOUT_* variable and the setting it most likely meant (SPOUT_JWT_KYE)', () => {
    assert.deepEqual(unknownEnvironmentVariables({ ...KEY, SPOUT_JWT_KYE: 'secret' }), [
      {
        name: 'SPOUT_JWT_KYE',
        message: 'SPOUT_JWT_KYE is not a setting of spout hub and is ignored; did you mean SPOUT_JWT_KEY?',
      },
    ]);
  });

  it('names an unknown SPOUT_* variable without a guess when no setting is near', () => {
    const [unknown] = unknownEnvironmentVariables({ SPOUT_COMPLETELY_DIFFERENT: '1' });
    assert.equal(
      unknown?.message,
      'SPOUT_COMPLETELY_DIFFERENT is not a setting of spout hub and is ignored; see spout hub --help',
    );
  });

  it('does not report settings, the pub/sub token, SPOUT_DEBUG, benchmark knobs or other prefixes', () => {
    const env = {
      SPOUT_PORT: '1',
      SPOUT_HISTORY_MAX_COUNT: '5',
      SPOUT_TOKEN: 't',
      SPOUT_DEBUG: '1',
      SPOUT_BENCH_RUNS: '3',
      SPOUTNIK: 'x',
      HOME: '/root',
    };
    assert.deepEqual(unknownEnvironmentVariables(env), []);
  });

  it('reports each of several unknown variables once, in name order', () => {
    const names = unknownEnvironmentVariables({ SPOUT_PROT: '1', SPOUT_HEARTBAET: '2s' }).map(
      (u) => u.message,
    );
    assert.deepEqual(names, [
      'SPOUT_HEARTBAET is not a setting of spout hub and is ignored; did you mean SPOUT_HEARTBEAT?',
      'SPOUT_PROT is not a setting of spout hub and is ignored; did you mean SPOUT_PORT?',
    ]);
  });

  it('refuses an unknown config file key, naming it and the nearest key', () => {
    assert.throws(
      () => loadConfig(['--config', configFile({ jwtKye: 'k' })], {}),
      /config file .*hub\.json: unknown setting "jwtKye"; did you mean "jwtKey"\?/,
    );
    assert.throws(
      () => loadConfig(['--config', configFile({ somethingElse: 1 })], KEY),
      /unknown setting "somethingElse"; see spout hub --help/,
    );
  });

  it('refuses an unknown flag, naming the nearest one, negated booleans included', () => {
    assert.throws(() => loadConfig(['--prot', '80'], KEY), /unknown option "--prot"; did you mean --port\?/);
    assert.throws(() => loadConfig(['--no-iu'], KEY), /unknown option "--no-iu"; did you mean --no-ui\?/);
    assert.throws(
      () => loadConfig(['--jwt-kye=secret'], {}),
      /unknown option "--jwt-kye=secret"; did you mean --jwt-key\?/,
    );
  });

  it('counts a swap of two neighbouring letters as one edit', () => {
    assert.equal(editDistance('kye', 'key'), 1);
    assert.equal(editDistance('port', 'port'), 0);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(nearest('SPOUT_X', ['SPOUT_JWT_KEY']), undefined);
  });
});
