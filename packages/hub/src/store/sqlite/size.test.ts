import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { makeUpdate } from '../testing/conformance.ts';
import { temporaryDirectory } from '../testing/temp-dir.ts';
import { createSqliteStore } from './sqlite.ts';

/** The schema of version 1 (before the totals behind size() existed), as such a file holds it. */
const VERSION_1 = `
CREATE TABLE updates (
  position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, published_at INTEGER NOT NULL,
  topics TEXT NOT NULL, data TEXT NOT NULL, private INTEGER NOT NULL, type TEXT, retry INTEGER
);
PRAGMA user_version = 1;`;

describe('sqlite store size', () => {
  it('leaves out of size the updates past maxAgeMs that the writer has not deleted yet', async () => {
    const dir = await temporaryDirectory();
    let clock = 1_700_000_000_000;
    const store = createSqliteStore({ path: join(dir.path, 'hub.db'), maxAgeMs: 60_000, now: () => clock });
    try {
      await store.append([makeUpdate({ data: 'old' })]);
      clock += 30_000;
      await store.append([makeUpdate({ data: 'newer' })]);
      clock += 30_001; // the first is expired; nothing was appended or trimmed since
      assert.deepEqual(await store.size(), { updates: 1, bytes: 5 });
      clock += 30_000;
      assert.deepEqual(await store.size(), { updates: 0, bytes: 0 });
    } finally {
      await store.close();
      await dir.dispose();
    }
  });

  it('fills the size totals from the rows of a file written before they existed (schema 1 to 2)', async () => {
    const dir = await temporaryDirectory();
    const path = join(dir.path, 'old.db');
    const old = new DatabaseSync(path);
    old.exec(VERSION_1);
    const insert = old.prepare(
      'INSERT INTO updates (id, published_at, topics, data, private) VALUES (?, ?, \'["t"]\', ?, 0)',
    );
    insert.run('a', Date.now(), 'één');
    insert.run('b', Date.now(), 'two');
    old.close();
    const store = createSqliteStore({ path });
    try {
      assert.deepEqual(await store.size(), { updates: 2, bytes: 5 + 3 });
      await store.append([makeUpdate({ data: '1234' })]);
      assert.deepEqual(await store.size(), { updates: 3, bytes: 12 });
    } finally {
      await store.close();
      await dir.dispose();
    }
  });

  it('reports the same size to two stores sharing one file, whichever appended', async () => {
    const dir = await temporaryDirectory();
    const path = join(dir.path, 'shared.db');
    const [a, b] = [createSqliteStore({ path, maxCount: 2 }), createSqliteStore({ path, maxCount: 2 })];
    try {
      await a.append([makeUpdate({ data: 'a1' })]);
      await b.append([makeUpdate({ data: 'b22' })]);
      await a.append([makeUpdate({ data: 'a333' })]);
      const expected = { updates: 2, bytes: 3 + 4 };
      assert.deepEqual(await a.size(), expected);
      assert.deepEqual(await b.size(), expected);
    } finally {
      await a.close();
      await b.close();
      await dir.dispose();
    }
  });
});
