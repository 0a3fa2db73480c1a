import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreCore } from '../core.ts';
import { DuplicateIdError, StoreUnavailableError, WatchGapError } from '../errors.ts';
import { GroupCommit, type PendingAppend } from '../group-commit.ts';
import { checkReadAfter, positiveInteger } from '../options.ts';
import { toStored } from '../stored.ts';
import type { StoredUpdate, StoreOptions, Update, UpdateStore, WatchOptions } from '../types.ts';
import { toError } from '../watchers.ts';
import { ChangeSignal } from './change-signal.ts';
import { isUniqueViolation, type Synchronous, UpdateTable } from './table.ts';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions extends StoreOptions {
  /** The database file (created with its directory when missing). Share it between processes of one machine only. */
  path: string;
  /**
   * `FULL` (default): every commit fsyncs the WAL, so an acknowledged update survives a
   * process kill, an OS crash and a power cut. `NORMAL` survives a process kill (SIGKILL)
   * but may lose the last commits on power loss; faster on slow disks.
   */
  synchronous?: Synchronous | undefined;
  /**
   * While someone watches, this process learns that another process committed to the same
   * file at once from file-change events on the WAL (fs.watch), and in any case by checking
   * (a cheap `PRAGMA data_version`) every `pollIntervalMs`: the bound on how late other
   * processes' updates arrive where file events are missing. Default 50 ms.
   */
  pollIntervalMs?: number | undefined;
  /** How long a writer waits for another process's write lock before failing the appends. Default 5000 ms. */
  busyTimeoutMs?: number | undefined;
  /** The clock stamping `publishedAt` and driving age retention. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/** Rows read per poll or trim step: bounds how long one synchronous step holds the event loop. */
const CHUNK = 1000;
const OLDEST_TIME = Number.MIN_SAFE_INTEGER;

/**
 * The embedded, durable default: one node:sqlite file in WAL mode. `append` resolves once
 * its transaction is committed (fsynced with `synchronous: 'FULL'`). Appends arriving in
 * the same event-loop turn share one transaction (group commit), so a busy hub pays one
 * fsync per turn, not per update. Several processes of one machine may share the file:
 * positions come from one AUTOINCREMENT sequence under sqlite's write lock, so they stay
 * totally ordered, and each process's watchers see the others' updates as soon as the WAL
 * file changes (at the latest after `pollIntervalMs`). Several machines need the Redis store.
 */
export function createSqliteStore(options: SqliteStoreOptions): UpdateStore {
  return new SqliteStore(options);
}

class SqliteStore implements UpdateStore {
  readonly #core: StoreCore;
  readonly #now: () => number;
  readonly #pollIntervalMs: number;
  readonly #table: UpdateTable;
  readonly #group: GroupCommit;
  /** Last position handed to watchers; meaningful while someone watches. */
  #delivered = 0;
  #dataVersion = 0;
  readonly #changes: ChangeSignal;

  constructor(options: SqliteStoreOptions) {
    this.#core = new StoreCore(options, {
      onFirstWatcher: () => this.#startPolling(),
      onNoWatcher: () => this.#changes.stop(),
    });
    this.#now = options.now ?? Date.now;
    this.#pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs) ?? 50;
    const busyTimeoutMs = positiveInteger('busyTimeoutMs', options.busyTimeoutMs) ?? 5000;
    const synchronous = options.synchronous ?? 'FULL';
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new RangeError(`synchronous must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
    }
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.#table = new UpdateTable(options.path, synchronous, busyTimeoutMs);
    const walPath = options.path === ':memory:' ? undefined : `${options.path}-wal`;
    this.#changes = new ChangeSignal(
      walPath,
      this.#pollIntervalMs,
      () => this.#poll(),
      this.#core.options.onError,
    );
    this.#group = new GroupCommit(this.#core.budget, (appends) => this.#commit(appends));
    this.#core.startTrimTimer(() => this.#scheduleTrim());
  }

  async append(updates: readonly Update[]): Promise<StoredUpdate[]> {
    if (!this.#core.admit(updates)) return [];
    return this.#group.add(updates);
  }

  async positionOf(id: string): Promise<number | undefined> {
    this.#core.checkOpen();
    const position = this.#table.positionOf(id, this.#notBefore());
    return position !== undefined && position > this.#countFloor() ? position : undefined;
  }

  async readAfter(after: number, limit: number): Promise<StoredUpdate[]> {
    this.#core.checkOpen();
    checkReadAfter(after, limit);
    return this.#table.readAfter(Math.max(after, this.#countFloor()), limit, this.#notBefore());
  }

  async latestPosition(): Promise<number> {
    this.#core.checkOpen();
    return this.#table.latest();
  }

  async earliestPosition(): Promise<number> {
    this.#core.checkOpen();
    return this.#table.oldestAfter(this.#countFloor(), this.#notBefore()) ?? this.#table.latest() + 1;
  }

  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void {
    return this.#core.watch(listener, options);
  }

  async close(): Promise<void> {
    if (this.#core.closed) return;
    this.#group.flush();
    this.#core.beginClose();
    this.#core.watchers.clear();
    this.#table.close();
  }

  /**
   * Positions at or below this are beyond `maxCount`, even while trimming catches up
   * (positions are contiguous, so the newest `maxCount` are the last `maxCount` numbers).
   */
  #countFloor(): number {
    return Number.isFinite(this.#core.options.maxCount)
      ? this.#table.latest() - this.#core.options.maxCount
      : 0;
  }

  #notBefore(): number {
    return Number.isFinite(this.#core.options.maxAgeMs)
      ? this.#now() - this.#core.options.maxAgeMs
      : OLDEST_TIME;
  }

  /** Group commit: the appends of one turn in one transaction (one fsync); a duplicate fails its own append only. */
  #commit(appends: PendingAppend[]): void {
    const publishedAt = this.#now();
    let outcomes: (StoredUpdate[] | Error)[];
    let trimmed = 0;
    try {
      outcomes = this.#table.transaction(() => {
        const results = appends.map((append) => this.#insertAll(append.updates, publishedAt));
        trimmed = this.#table.trimStep(this.#core.options.maxCount, this.#notBefore(), CHUNK);
        return results;
      });
    } catch (error) {
      const reason = `the sqlite transaction failed, nothing was stored: ${toError(error).message}`;
      for (const append of appends) append.reject(new StoreUnavailableError(reason, false, error));
      return;
    }
    for (const outcome of outcomes) if (!(outcome instanceof Error)) this.#deliverCommitted(outcome);
    appends.forEach((append, index) => {
      const outcome = outcomes[index]!;
      if (outcome instanceof Error) append.reject(outcome);
      else append.resolve(outcome);
    });
    if (trimmed === CHUNK) this.#scheduleTrim();
  }

  /** One append, all or nothing: a duplicate id undoes its batch only, not the others of the transaction. */
  #insertAll(updates: readonly Update[], publishedAt: number): StoredUpdate[] | Error {
    let current: Update | undefined;
    try {
      return this.#table.atomically(() =>
        updates.map((update) => {
          current = update;
          return toStored(update, this.#table.insert(update, publishedAt), publishedAt);
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error) && current) return new DuplicateIdError(current.id);
      throw error;
    }
  }

  #deliverCommitted(stored: StoredUpdate[]): void {
    const first = stored[0];
    if (this.#core.watchers.size === 0 || !first) return;
    // Another process may have committed just before us: its updates come first.
    while (first.position > this.#delivered + 1 && this.#deliverOthers(first.position - 1) === CHUNK) {}
    for (const update of stored) this.#deliver(update);
  }

  /** Delivers rows committed by other processes, up to `through`, at most one chunk; returns how many. */
  #deliverOthers(through: number): number {
    let count = 0;
    for (const row of this.#table.readAfter(this.#delivered, CHUNK, OLDEST_TIME)) {
      if (row.position > through) break;
      this.#deliver(row);
      count++;
    }
    return count;
  }

  #deliver(update: StoredUpdate): void {
    if (update.position <= this.#delivered) return;
    if (update.position > this.#delivered + 1) {
      this.#core.watchers.fail(new WatchGapError(this.#delivered + 1, update.position - 1));
    }
    this.#delivered = update.position;
    this.#core.watchers.deliver(update);
  }

  #startPolling(): void {
    this.#delivered = this.#table.latest();
    this.#dataVersion = this.#table.dataVersion();
    this.#changes.start();
  }

  #poll(): void {
    if (this.#core.closed || this.#core.watchers.size === 0) return;
    try {
      const version = this.#table.dataVersion();
      if (version === this.#dataVersion) return;
      this.#dataVersion = version;
      // More than a chunk waiting: read the rest on the next turns, not in one long block.
      if (this.#deliverOthers(Number.POSITIVE_INFINITY) === CHUNK) {
        this.#dataVersion = Number.NaN;
        setImmediate(() => this.#poll());
      }
    } catch (error) {
      this.#core.options.onError(toError(error));
    }
  }

  #scheduleTrim(): void {
    const { maxCount } = this.#core.options;
    this.#core.scheduleTrim(
      () => this.#table.transaction(() => this.#table.trimStep(maxCount, this.#notBefore(), CHUNK)),
      CHUNK,
    );
  }
}
