import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../config/parse.ts';
import { debugEnabled, describeFailure, EXIT } from './failure.ts';

/** An error shaped as Node's system errors are (code, syscall, address, port, path). */
function systemError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(`${String(fields['code'])}: raw message`), fields);
}

describe('describeFailure', () => {
  it('keeps a configuration error as it is, with exit code 2', () => {
    assert.deepEqual(describeFailure(new ConfigError('--port: must be an integer, got "x"')), {
      message: '--port: must be an integer, got "x"',
      exitCode: EXIT.configuration,
    });
  });

  it('turns a refused privileged port (EACCES on listen) into advice naming --port, exit 1', () => {
    const failure = describeFailure(
      systemError({ code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 }),
    );
    assert.equal(failure.exitCode, EXIT.runtime);
    assert.match(failure.message, /^not allowed to listen on port 80 on 0\.0\.0\.0: .*--port/);
  });

  it('turns an address this machine does not have (EADDRNOTAVAIL) into advice naming --host', () => {
    const failure = describeFailure(
      systemError({ code: 'EADDRNOTAVAIL', syscall: 'listen', address: '10.9.9.9', port: 3000 }),
    );
    assert.match(failure.message, /^cannot listen on 10\.9\.9\.9: .*--host/);
  });

  it('names a file by its path and the problem in words (ENOENT, EACCES), exit 1', () => {
    assert.deepEqual(describeFailure(systemError({ code: 'ENOENT', syscall: 'open', path: '/x/cert.pem' })), {
      message: '/x/cert.pem: no such file or directory',
      exitCode: EXIT.runtime,
    });
    assert.equal(
      describeFailure(systemError({ code: 'EACCES', syscall: 'open', path: '/x/hub.db' })).message,
      '/x/hub.db: permission denied',
    );
  });

  it('reports any other error by the first line of its message, exit 1', () => {
    assert.deepEqual(describeFailure(new Error('Redis did not answer\nmore detail')), {
      message: 'Redis did not answer',
      exitCode: EXIT.runtime,
    });
    assert.deepEqual(describeFailure('a thrown string'), {
      message: 'a thrown string',
      exitCode: EXIT.runtime,
    });
  });

  it('shows stack traces when SPOUT_DEBUG is 1, true or yes, not when unset, empty, 0 or false', () => {
    for (const on of ['1', 'true', 'yes']) assert.equal(debugEnabled({ SPOUT_DEBUG: on }), true, on);
    for (const off of [undefined, '', '0', 'false', 'FALSE']) {
      assert.equal(debugEnabled({ SPOUT_DEBUG: off }), false, String(off));
    }
  });
});
