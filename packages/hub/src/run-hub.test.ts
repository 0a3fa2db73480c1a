import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { mintToken } from './auth/index.ts';
import { loadConfig } from './config/load.ts';
import { startHub, uiMayShareDevToken } from './run-hub.ts';
import { openStream } from './testing/sse-reader.ts';

describe('the development token in the web UI', () => {
  it('is offered at /ui/api/info by a --dev hub listening on loopback', async () => {
    const config = loadConfig(['--dev', '--host', '127.0.0.1', '--port', '0', '--store', 'memory'], {});
    const started = await startHub(config, { logger: pino({ level: 'silent' }) });
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

describe('the web UI of a production hub (an HMAC key, no --dev)', () => {
  const secret = 'production-hub-secret-0123456789abcdef';
  const demoPaths = [
    '/ui/api/demos/notifications/session',
    '/ui/api/demos/notifications',
    '/ui/api/demos/ride/request',
  ];

  it('[security] answers every demo endpoint with 404 and signs nothing: no cookie, no token', async () => {
    const config = loadConfig(['--jwt-key', secret, '--port', '0', '--store', 'memory'], {});
    const started = await startHub(config, { logger: pino({ level: 'silent' }) });
    try {
      for (const path of demoPaths) {
        const answer = await fetch(`${started.running.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user: 'alice', to: 'alice', title: 'hi' }),
        });
        assert.equal(answer.status, 404, path);
        assert.equal(answer.headers.get('set-cookie'), null, path);
        assert.doesNotMatch(await answer.text(), /eyJ/, `${path} reveals no token`);
      }
      const info = (await (await fetch(`${started.running.url}/ui/api/info`)).json()) as Record<
        string,
        unknown
      >;
      assert.equal(info.devToken, undefined);
    } finally {
      await started.close();
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
    const started = await startHub(config, { logger: pino({ level: 'silent' }) });
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

const SECRET = 'exposure-test-secret-0123456789abcdef';

/** Starts a hub from these flags (memory store, free port), runs `body` against its URL, stops it. */
async function withHub(flags: string[], body: (url: string) => Promise<void>, env: NodeJS.ProcessEnv = {}) {
  const config = loadConfig(['--jwt-key', SECRET, '--port', '0', '--store', 'memory', ...flags], env);
  const started = await startHub(config, { logger: pino({ level: 'silent' }) });
  try {
    await body(started.running.url);
  } finally {
    await started.close();
  }
}

describe('exposing the hub: /metrics and the web UI', () => {
  it('serves the web UI, its status feed and /metrics to anyone by default (npm start keeps working)', async () => {
    await withHub([], async (url) => {
      assert.equal((await fetch(`${url}/ui/`)).status, 200);
      const stats = await fetch(`${url}/ui/api/stats`);
      assert.equal(stats.status, 200);
      await stats.body?.cancel();
      const metrics = await fetch(`${url}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /spout_hub_subscribers/);
    });
  });

  it('[RFC 6750 3] answers /metrics without a token with 401 and WWW-Authenticate: Bearer when --metrics-token is set', async () => {
    await withHub(['--metrics-token', 'scrape-me-0123'], async (url) => {
      const answer = await fetch(`${url}/metrics`);
      assert.equal(answer.status, 401);
      assert.equal(answer.headers.get('www-authenticate'), 'Bearer realm="spout metrics"');
      assert.doesNotMatch(await answer.text(), /spout_hub_/);
    });
  });

  it('[RFC 6750 3.1] answers /metrics with a wrong token with 401 and error="invalid_token"', async () => {
    await withHub(['--metrics-token', 'scrape-me-0123'], async (url) => {
      for (const authorization of ['Bearer scrape-me-0124', 'Bearer scrape-me-01234', 'Basic c2NyYXBlOm1l']) {
        const answer = await fetch(`${url}/metrics`, { headers: { authorization } });
        assert.equal(answer.status, 401, authorization);
        assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="spout metrics"/);
        await answer.body?.cancel();
      }
      const wrong = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer nope' } });
      assert.equal(
        wrong.headers.get('www-authenticate'),
        'Bearer realm="spout metrics", error="invalid_token"',
      );
    });
  });

  it('serves /metrics to the bearer of --metrics-token, read from the environment or a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spout-metrics-token-')), 'token');
    writeFileSync(file, 'from-a-file/0123==\n');
    await withHub(['--metrics-token', `@${file}`], async (url) => {
      const answer = await fetch(`${url}/metrics`, {
        headers: { authorization: 'Bearer from-a-file/0123==' },
      });
      assert.equal(answer.status, 200);
      assert.match(await answer.text(), /spout_hub_subscribers/);
    });
    await withHub(
      [],
      async (url) => {
        const answer = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer from-env' } });
        assert.equal(answer.status, 200);
        await answer.body?.cancel();
        assert.equal((await fetch(`${url}/metrics`)).status, 401);
      },
      { SPOUT_METRICS_TOKEN: 'from-env' },
    );
  });

  it('refuses a metrics token a scraper could not send, naming metricsToken', async () => {
    const config = loadConfig(
      ['--jwt-key', SECRET, '--port', '0', '--store', 'memory', '--metrics-token', 'has space'],
      {},
    );
    await assert.rejects(
      startHub(config, { logger: pino({ level: 'silent' }) }),
      /^ConfigError: metricsToken: a bearer token may hold only/,
    );
  });

  it('answers /metrics with 404 under --no-metrics, with or without a token', async () => {
    await withHub(['--no-metrics'], async (url) => {
      assert.equal((await fetch(`${url}/metrics`)).status, 404);
    });
    await withHub(['--no-metrics', '--metrics-token', 'tok'], async (url) => {
      const answer = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer tok' } });
      assert.equal(answer.status, 404);
    });
  });

  it('answers the UI pages and its status feed with 404 under --no-ui, and the hub still works', async () => {
    await withHub(['--no-ui'], async (url) => {
      for (const path of ['/ui/', '/ui/status', '/ui/api/stats', '/ui/api/info']) {
        const answer = await fetch(`${url}${path}`);
        assert.equal(answer.status, 404, path);
        await answer.body?.cancel();
      }
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    });
  });
});
