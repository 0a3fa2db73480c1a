import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFlags } from './flags.ts';

describe('spout hub flags', () => {
  it('reads --name value and --name=value alike', () => {
    assert.deepEqual(
      parseFlags(['--port', '80', '--host=::1']),
      new Map<string, unknown>([
        ['port', 80],
        ['host', '::1'],
      ]),
    );
  });

  it('reads a boolean as --flag, --no-flag, --flag=false and --flag false', () => {
    const flags = parseFlags(['--dev', '--no-ui', '--anonymous=false', '--trust-proxy', 'yes']);
    assert.deepEqual(Object.fromEntries(flags), { dev: true, ui: false, anonymous: false, trustProxy: true });
  });

  it('refuses --no- before a setting that is not a boolean', () => {
    assert.throws(() => parseFlags(['--no-port']), /unknown option "--no-port"/);
  });

  it('refuses a flag that needs a value and has none', () => {
    assert.throws(() => parseFlags(['--port']), /--port needs a value/);
  });

  it('refuses an argument that belongs to no flag', () => {
    assert.throws(() => parseFlags(['--port', '80', 'extra']), /unknown option "extra"/);
    assert.throws(() => parseFlags(['--no-ui', 'true']), /unknown option "true"/);
  });

  it('names the flag of a bad value', () => {
    assert.throws(() => parseFlags(['--dev=maybe']), /--dev: must be true or false, got "maybe"/);
  });
});
