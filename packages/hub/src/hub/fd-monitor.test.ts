import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { monitorOpenFiles, openFileCount, openFileLimit, warnOfOpenFileLimit } from './fd-monitor.ts';

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

  it('says at start how many connections each process may hold, and warns when the processes cannot hold maxSubscribers', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    warnOfOpenFileLimit({ maxSubscribers: 10_000 }, 2, logger, 1024);
    const logged = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    assert.match(logged[0]!.msg, /each hub process may hold about 960 connections \(open-file limit 1024\)/);
    assert.equal(logged[1]!.level, 40);
    assert.match(
      logged[1]!.msg,
      /hold about 1920 connections, fewer than maxSubscribers \(10000\).*--workers/,
    );
  });

  it('does not warn when the processes together hold maxSubscribers', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    warnOfOpenFileLimit({ maxSubscribers: 30_000 }, 2, logger, 20_000);
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as { level: number }).level),
      [30],
    );
  });
});
