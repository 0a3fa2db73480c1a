import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { openStream, startHttpServer } from '../testing/sse-client.ts';
import { createParserReleaser, OWN_CONNECTION_FALLBACK, type ParserReleaser } from './release-parser.ts';

/** The warnings this process emits while `body` runs. */
async function warningsDuring(body: () => Promise<void>): Promise<Error[]> {
  const seen: Error[] = [];
  const listen = (warning: Error) => seen.push(warning);
  process.on('warning', listen);
  try {
    await body();
    // emitWarning delivers on a later tick.
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    process.off('warning', listen);
  }
  return seen.filter((warning) => (warning as { code?: string }).code === OWN_CONNECTION_FALLBACK);
}

/** Opens `count` event streams, one after the other, on a server whose handler calls `release`. */
async function streamThrough(release: ParserReleaser, count: number): Promise<void> {
  const server = await startHttpServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    release(req, res as { _last?: boolean });
    res.write('data: hello\n\n');
  });
  try {
    for (let i = 0; i < count; i++) {
      const stream = await openStream(server.url);
      const [event] = await stream.waitForEvents(1);
      assert.equal(event?.data, 'hello');
      stream.abort();
    }
  } finally {
    await server.close();
  }
}

// In this order: the warning is once per process (each test file runs in its own process).
describe('releasing the HTTP/1 parser when Node internals differ', () => {
  test('emits no warning when this Node has the internals it needs', async () => {
    const internals = createRequire(import.meta.url)('_http_common');
    const warnings = await warningsDuring(() => streamThrough(createParserReleaser(internals), 2));
    assert.deepEqual(warnings, []);
  });

  test('warns once per process with code SPOUT_OWN_CONNECTION_FALLBACK when freeParser is missing; streams still work', async () => {
    const warnings = await warningsDuring(async () => {
      await streamThrough(createParserReleaser({}), 2);
      await streamThrough(createParserReleaser(undefined), 1);
    });
    assert.equal(warnings.length, 1);
    assert.equal(warnings[0]!.name, 'SpoutWarning');
    assert.match(warnings[0]!.message, /_http_common\.freeParser is missing/);
    assert.match(warnings[0]!.message, /about 6 KiB more memory/);
  });
});
