import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { monitorOpenFiles, openFileCount, openFileLimit } from './fd-monitor.ts';

describe('open-file monitor (Linux /proc)', () => {
  it('reads the limit and the count of open files', () => {
    const limit = openFileLimit();
    const count = openFileCount();
    assert.ok(count !== undefined && count > 0);
    assert.ok(limit !== undefined && limit >= count, `limit ${limit}, count ${count}`);
  });

  it('warns with the fix when the process nears its limit', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    // A ratio of 0 means "already near the limit".
    const stop = monitorOpenFiles(logger, 10, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    stop();
    const warning = lines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .find((l) => l.level === 40);
    assert.ok(warning, 'a warning was logged');
    assert.match(warning.msg, /too many open files/);
    assert.match(warning.msg, /ulimit -n/);
  });
});
