import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from './config/load.ts';
import { startHub, uiMayShareDevToken } from './run-hub.ts';

describe('the development token in the web UI', () => {
  it('is offered at /ui/api/info by a --dev hub listening on loopback', async () => {
    const config = loadConfig(['--dev', '--host', '127.0.0.1', '--port', '0', '--store', 'memory'], {});
    const started = await startHub(config, pino({ level: 'silent' }));
    try {
      const info = (await (await fetch(`${started.running.url}/ui/api/info`)).json()) as {
        devToken?: string;
      };
      assert.equal(typeof info.devToken, 'string');
    } finally {
      await started.close();
    }
  });

  it('is never handed out by a hub listening on a non-loopback address: any caller could publish', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'hub.example.com']) {
      assert.equal(uiMayShareDevToken(host), false, host);
    }
  });

  it('may be handed out on every loopback spelling', () => {
    for (const host of ['127.0.0.1', '127.0.0.5', 'localhost', '::1']) {
      assert.equal(uiMayShareDevToken(host), true, host);
    }
  });
});
