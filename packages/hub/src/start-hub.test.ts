import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { mintToken } from './auth/index.ts';
import { startHub } from './run-hub.ts';
import { createMemoryStore } from './store/index.ts';

const SECRET = 'start-hub-test-secret-0123456789abcdef';
const QUIET = { logger: pino({ level: 'silent' }) };

describe('startHub from code', () => {
  it('starts a hub from settings named as in the config file, the rest defaulted', async () => {
    const started = await startHub({ jwtKey: SECRET, store: 'memory', port: 0, ui: false }, QUIET);
    try {
      assert.equal(started.hubUrl, `${started.url}/.well-known/mercure`);
      const token = await mintToken({ secret: SECRET, publish: ['*'] });
      const answer = await fetch(started.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: new URLSearchParams({ topic: 'https://example.com/1', data: 'x' }),
      });
      assert.equal(answer.status, 200);
      assert.equal(started.hub.limits.maxBodyBytes, 1024 * 1024);
    } finally {
      await started.close();
    }
  });

  it('refuses bad settings before opening anything, naming the setting', async () => {
    await assert.rejects(
      startHub({ jwtKey: SECRET, heartbeat: 'often' }, QUIET),
      /"heartbeat": must be a duration/,
    );
    await assert.rejects(startHub({}, QUIET), /^ConfigError: jwtKey: no key verifies/);
  });

  it('uses a store of its caller instead of opening one', async () => {
    const store = createMemoryStore();
    await store.append([{ id: 'kept-1', topics: ['https://example.com/1'], data: 'kept', private: false }]);
    const started = await startHub(
      { jwtKey: SECRET, store: 'sqlite', port: 0, ui: false },
      { ...QUIET, store },
    );
    try {
      const health = (await (await fetch(`${started.url}/healthz`)).json()) as { latestPosition: number };
      assert.equal(health.latestPosition, 1);
    } finally {
      await started.close();
    }
  });
});
