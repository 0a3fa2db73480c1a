import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { mintToken } from './auth/index.ts';
import { loadConfig } from './config/load.ts';
import { startHub, uiMayShareDevToken } from './run-hub.ts';
import { openStream } from './testing/sse-reader.ts';

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

describe('the web UI status feed', () => {
  it('shows what the store keeps after retention (its size), not how many updates were ever stored', async () => {
    // Not --dev: its demos would publish too.
    const secret = 'status-feed-test-secret-0123456789abcdef';
    const config = loadConfig(
      ['--jwt-key', secret, '--port', '0', '--store', 'memory', '--history-max-count', '2'],
      {},
    );
    const started = await startHub(config, pino({ level: 'silent' }));
    const stream = await openStream(`${started.running.url}/ui/api/stats`);
    try {
      const token = await mintToken({ secret, publish: ['*'] });
      for (const data of ['a', 'bb', 'ccc', 'é€']) {
        const answer = await fetch(started.running.hubUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}` },
          body: new URLSearchParams({ topic: 'https://example.com/size', data }),
        });
        assert.equal(answer.status, 200);
      }
      // Samples come once a second: wait for one taken after the four publishes.
      let sample: { storeUpdates?: number; storeBytes?: number; storePosition?: number } | undefined;
      for (let count = 1; sample?.storePosition !== 4; count++) {
        assert.ok(count <= 20, `no sample after the publishes: ${JSON.stringify(sample)}`);
        const events = await stream.waitForEvents(count, 10_000);
        const last = events.at(-1)!;
        if (last.type === 'sample') sample = JSON.parse(last.data);
      }
      // The newest two are kept: 'ccc' (3 bytes) and 'é€' (2 + 3 bytes in UTF-8).
      assert.equal(sample.storeUpdates, 2);
      assert.equal(sample.storeBytes, 8);
    } finally {
      stream.close();
      await started.close();
    }
  });
});
