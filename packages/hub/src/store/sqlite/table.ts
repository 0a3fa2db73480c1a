import { DatabaseSync, type SQLOutputValue, type StatementSync } from 'node:sqlite';
import { toStored } from '../stored.ts';
import type { StoredUpdate, Update } from '../types.ts';

/** The schema this code writes; a file with a newer one is refused rather than misread. */
const SCHEMA_VERSION = 2;

// AUTOINCREMENT: positions are never reused, even after retention empties the table; a
// rolled-back insert also rolls back sqlite_sequence, so committed positions stay contiguous.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS updates (
  position INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  published_at INTEGER NOT NULL,
  topics TEXT NOT NULL,
  data TEXT NOT NULL,
  private INTEGER NOT NULL,
  type TEXT,
  retry INTEGER
);
CREATE TABLE IF NOT EXISTS totals (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  updates INTEGER NOT NULL,
  bytes INTEGER NOT NULL
);`;

// Version 2 added the running totals behind size(): filled once from the rows already kept
// (idempotent, so two processes migrating one after the other agree).
const FILL_TOTALS = `INSERT OR REPLACE INTO totals (id, updates, bytes)
  SELECT 1, count(*), coalesce(sum(octet_length(data)), 0) FROM updates;`;

// The totals minus the rows retention no longer keeps but has not deleted yet: those at or
// below the count floor, and the expired oldest ones (positions follow time, as trimStep
// assumes). One statement, so totals and rows come from one snapshot; it visits only the
// rows awaiting deletion, never the whole table.
const SIZE = `SELECT totals.updates - lag.updates AS updates, totals.bytes - lag.bytes AS bytes
  FROM totals, (
    SELECT count(*) AS updates, coalesce(sum(octet_length(data)), 0) AS bytes FROM updates
    WHERE position <= max(:floor, coalesce(
      (SELECT position FROM updates WHERE published_at >= :notBefore ORDER BY position LIMIT 1) - 1,
      (SELECT max(position) FROM updates), 0))
  ) AS lag
  WHERE totals.id = 1`;

/** SQLITE_CONSTRAINT_UNIQUE: the extended result code of a duplicate id. */
const SQLITE_CONSTRAINT_UNIQUE = 2067;

export type Synchronous = 'FULL' | 'NORMAL';

/** The updates table of one sqlite file, behind prepared statements. Synchronous, like node:sqlite. */
export class UpdateTable {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #readAfter: StatementSync;
  readonly #positionOf: StatementSync;
  readonly #latest: StatementSync;
  readonly #oldest: StatementSync;
  readonly #oldestKept: StatementSync;
  readonly #oldestRows: StatementSync;
  readonly #deleteThrough: StatementSync;
  readonly #dataVersion: StatementSync;
  readonly #addTotals: StatementSync;
  readonly #size: StatementSync;
  /** Transaction control, prepared once: exec() would parse the SQL again for every commit and append. */
  readonly #begin: StatementSync;
  readonly #commit: StatementSync;
  readonly #rollback: StatementSync;
  readonly #savepoint: StatementSync;
  readonly #release: StatementSync;
  readonly #rollbackToSavepoint: StatementSync;

  constructor(path: string, synchronous: Synchronous, busyTimeoutMs: number) {
    this.#db = new DatabaseSync(path, { timeout: busyTimeoutMs });
    this.#db.exec('PRAGMA journal_mode = WAL');
    this.#db.exec(`PRAGMA synchronous = ${synchronous}`);
    this.#migrate();
    const db = this.#db;
    this.#insert = db.prepare(
      'INSERT INTO updates (id, published_at, topics, data, private, type, retry) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#readAfter = db.prepare(
      'SELECT * FROM updates WHERE position > ? AND published_at >= ? ORDER BY position LIMIT ?',
    );
    this.#positionOf = db.prepare('SELECT position FROM updates WHERE id = ? AND published_at >= ?');
    this.#latest = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'updates'");
    this.#oldest = db.prepare('SELECT position, published_at FROM updates ORDER BY position LIMIT 1');
    this.#oldestKept = db.prepare(
      'SELECT position FROM updates WHERE position > ? AND published_at >= ? ORDER BY position LIMIT 1',
    );
    this.#oldestRows = db.prepare('SELECT position, published_at FROM updates ORDER BY position LIMIT ?');
    this.#deleteThrough = db.prepare(
      'DELETE FROM updates WHERE position <= ? RETURNING octet_length(data) AS bytes',
    );
    this.#dataVersion = db.prepare('PRAGMA data_version');
    this.#addTotals = db.prepare('UPDATE totals SET updates = updates + ?, bytes = bytes + ? WHERE id = 1');
    this.#size = db.prepare(SIZE);
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
    this.#savepoint = db.prepare('SAVEPOINT batch');
    this.#release = db.prepare('RELEASE batch');
    this.#rollbackToSavepoint = db.prepare('ROLLBACK TO batch');
  }

  #migrate(): void {
    const version = Number(this.#db.prepare('PRAGMA user_version').get()?.['user_version'] ?? 0);
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `this sqlite file has schema version ${version}; this Spout reads up to ${SCHEMA_VERSION}`,
      );
    }
    // Only a file without the schema is written to: opening an existing file takes no write lock.
    if (version === SCHEMA_VERSION) return;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec(SCHEMA);
      this.#db.exec(FILL_TOTALS);
      this.#db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      this.#db.exec('COMMIT');
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Runs `body` in a write transaction (taking the file's write lock at once). */
  transaction<T>(body: () => T): T {
    this.#begin.run();
    try {
      const result = body();
      this.#commit.run();
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#rollback.run();
      throw error;
    }
  }

  /** Inside a transaction: runs `body` all or nothing (a savepoint). */
  atomically<T>(body: () => T): T {
    this.#savepoint.run();
    try {
      const result = body();
      this.#release.run();
      return result;
    } catch (error) {
      this.#rollbackToSavepoint.run();
      this.#release.run();
      throw error;
    }
  }

  /** Inserts one update; returns its position. Throws the raw sqlite error (see {@link isUniqueViolation}). */
  insert(update: Update, publishedAt: number): number {
    const result = this.#insert.run(
      update.id,
      publishedAt,
      JSON.stringify(update.topics),
      update.data,
      update.private ? 1 : 0,
      update.type ?? null,
      update.retry ?? null,
    );
    return Number(result.lastInsertRowid);
  }

  /** Inside the transaction that inserted them: counts updates (and their data's UTF-8 bytes) in the totals. */
  addTotals(updates: number, bytes: number): void {
    this.#addTotals.run(updates, bytes);
  }

  /** Updates kept and their data's UTF-8 bytes, leaving out rows at or below `floor` or published before `notBefore`. */
  size(floor: number, notBefore: number): { updates: number; bytes: number } {
    const row = this.#size.get({ floor, notBefore });
    return { updates: Number(row?.['updates'] ?? 0), bytes: Number(row?.['bytes'] ?? 0) };
  }

  /** Rows after `after` published at or after `notBefore`, oldest first. */
  readAfter(after: number, limit: number, notBefore: number): StoredUpdate[] {
    return this.#readAfter.all(after, notBefore, limit).map(rowToUpdate);
  }

  positionOf(id: string, notBefore: number): number | undefined {
    const row = this.#positionOf.get(id, notBefore);
    return row ? Number(row['position']) : undefined;
  }

  /** The newest position ever assigned (kept or not); 0 for a new file. */
  latest(): number {
    return Number(this.#latest.get()?.['seq'] ?? 0);
  }

  /** The oldest row after `after` published at or after `notBefore`. */
  oldestAfter(after: number, notBefore: number): number | undefined {
    const row = this.#oldestKept.get(after, notBefore);
    return row ? Number(row['position']) : undefined;
  }

  /**
   * One bounded retention step: deletes at most `chunk` of the oldest rows that are beyond
   * `maxCount` or published before `notBefore`. Returns how many it deleted.
   */
  trimStep(maxCount: number, notBefore: number, chunk: number): number {
    const oldest = this.#oldest.get();
    if (!oldest) return 0;
    const first = Number(oldest['position']);
    let through = this.latest() - maxCount;
    if (Number(oldest['published_at']) < notBefore) {
      // Only walk rows when the oldest one is expired; positions follow time closely.
      for (const row of this.#oldestRows.all(chunk)) {
        if (Number(row['published_at']) >= notBefore) break;
        through = Math.max(through, Number(row['position']));
      }
    }
    through = Math.min(through, first + chunk - 1);
    if (through < first) return 0;
    const deleted = this.#deleteThrough.all(through);
    this.addTotals(-deleted.length, -deleted.reduce((sum, row) => sum + Number(row['bytes']), 0));
    return deleted.length;
  }

  /** Changes whenever another connection (process) commits to the file. */
  dataVersion(): number {
    return Number(this.#dataVersion.get()?.['data_version'] ?? 0);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

/** True for the error sqlite raises when an id is already kept. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { errcode?: unknown } | null)?.errcode === SQLITE_CONSTRAINT_UNIQUE;
}

function rowToUpdate(row: Record<string, SQLOutputValue>): StoredUpdate {
  return toStored(
    {
      id: String(row['id']),
      topics: JSON.parse(String(row['topics'])) as string[],
      data: String(row['data']),
      private: row['private'] === 1 || row['private'] === 1n,
      type: row['type'] === null ? undefined : String(row['type']),
      retry: row['retry'] === null ? undefined : Number(row['retry']),
    },
    Number(row['position']),
    Number(row['published_at']),
  );
}
