import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseTarget, redactUrl } from './target.ts';

describe('redis url forms', () => {
  it('takes redis:// and rediss:// as they are', () => {
    assert.deepEqual(parseTarget('rediss://:pw@h:6380/2'), { kind: 'server', url: 'rediss://:pw@h:6380/2' });
  });

  it('reads sentinels, the master name, the db and the data nodes’ credentials from redis+sentinel://', () => {
    assert.deepEqual(parseTarget('redis+sentinel://u:p%40ss@a,b:26380,[::1]:26381/my%20master/3'), {
      kind: 'sentinel',
      sentinels: [
        { host: 'a', port: 26379 },
        { host: 'b', port: 26380 },
        { host: '::1', port: 26381 },
      ],
      name: 'my master',
      credentials: { username: 'u', password: 'p@ss' },
      db: 3,
    });
  });

  it('reads seed nodes from redis+cluster://', () => {
    assert.deepEqual(parseTarget('redis+cluster://:secret@10.0.0.1,10.0.0.2:7000'), {
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 6379 },
        { host: '10.0.0.2', port: 7000 },
      ],
      credentials: { password: 'secret' },
    });
  });

  it('refuses what it cannot read, saying the accepted forms', () => {
    for (const url of [
      'localhost:6379',
      'redis+sentinel://a:1',
      'redis+sentinel://a/m/x',
      'redis+cluster://a/0',
    ]) {
      assert.throws(() => parseTarget(url), RangeError, url);
    }
    assert.throws(() => parseTarget('redis+cluster://a:99999'), /not a host\[:port\]/);
    assert.throws(() => parseTarget(42), /url must be one of redis:\/\/, rediss:\/\/, redis\+sentinel:\/\//);
  });

  it('hides the password in messages', () => {
    assert.equal(redactUrl('redis+sentinel://u:secret@a,b/m'), 'redis+sentinel://u:***@a,b/m');
    assert.equal(redactUrl('redis://h:6379'), 'redis://h:6379');
  });
});
