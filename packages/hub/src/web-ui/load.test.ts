import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadWebUi, WEB_UI_PACKAGE } from './load.ts';

/** A logger whose lines are kept, parsed. */
function recordingLogger(): { logger: pino.Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('loading the web UI', () => {
  it('imports @spout/ui, which fulfils the contract, when it is installed', async () => {
    const { logger, lines } = recordingLogger();
    const module = await loadWebUi(logger);
    assert.equal(typeof module?.startUi, 'function');
    assert.equal(WEB_UI_PACKAGE, '@spout/ui');
    assert.deepEqual(lines, []);
  });

  it('runs without it when the package is not installed, saying so in one warning', async () => {
    const { logger, lines } = recordingLogger();
    assert.equal(await loadWebUi(logger, '@spout/ui-not-installed'), undefined);
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.level, 40);
    assert.match(lines[0]!.msg, /@spout\/ui-not-installed is not installed.*--no-ui/);
  });

  it('reports a broken UI module rather than taking it for a missing one', async () => {
    const { logger } = recordingLogger();
    await assert.rejects(loadWebUi(logger, 'data:text/javascript,throw new Error("broken UI")'), /broken UI/);
  });
});
