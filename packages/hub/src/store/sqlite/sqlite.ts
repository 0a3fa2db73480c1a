import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreCore } from '../core.ts';
import { DuplicateIdError, WatchGapError } from '../errors.ts';
import { GroupCommit, type PendingAppend } from '../group-commit.ts';
import { checkReadAfter, positiveInteger } from '../options.ts';
import { toStored } from '../stored.ts';
import type { StoredUpdate, StoreOptions, StoreSize, Update, UpdateStore, WatchOptions } from '../types.ts';
import { toError } from '../watchers.ts';
import { ChangeSignal } from './change-signal.ts';
import { SQLITE_DEFAULT_SYNCHRONOUS } from './defaults.ts';
import { type Synchronous, UpdateTable } from './table.ts';
import { WriterClient } from './writer-client.ts';
import { TRIM_CHUNK, type TrimBounds } from './writer-protocol.ts';

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions extends StoreOptions {
  /**
   * The database file (created with its directory when missing). Share it between processes
   * of one machine only. Not `:memory:` (the writer thread could not see it): use the memory store.
   */
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

/** Rows read per poll step: bounds how long one synchronous read holds the event loop. */
const CHUNK = 1000;
const OLDEST_TIME = Number.MIN_SAFE_INTEGER;

/**
 * The embedded, durable default: one node:sqlite file in WAL mode. `append` resolves once
 * its transaction is committed (fsynced with `synchronous: 'FULL'`). Writes run in a writer
 * thread, so waiting for the disk never stalls the event loop; reads run on this thread
 * (WAL readers do not wait for the writer). Appends arriving in the same event-loop turn,
 * and while the writer is busy, share one transaction (group commit), so a busy hub pays
 * one fsync per commit, not per update. Several processes of one machine may share the file:
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
  readonly #writer: WriterClient;
  readonly #group: GroupCommit;
  /** Last position handed to watchers; meaningful while someone watches. */
  #delivered = 0;
  #dataVersion = 0;
  readonly #changes: ChangeSignal;
  /** Commits of this process sent to the writer and not settled yet. */
  #committing = 0;
  /** A file change was seen while committing: check for other processes' updates once they settle. */
  #pollDeferred = false;
  /** Updates of a commit whose successor was in flight when it was answered: delivered with the successor's. */
  #held: StoredUpdate[][] = [];

  constructor(options: SqliteStoreOptions) {
    this.#core = new StoreCore(options, {
      onFirstWatcher: () => this.#startPolling(),
      onNoWatcher: () => this.#changes.stop(),
    });
    this.#now = options.now ?? Date.now;
    this.#pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs) ?? 50;
    const busyTimeoutMs = positiveInteger('busyTimeoutMs', options.busyTimeoutMs) ?? 5000;
    const synchronous = options.synchronous ?? SQLITE_DEFAULT_SYNCHRONOUS;
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new RangeError(`synchronous must be 'FULL' or 'NORMAL', got ${String(synchronous)}`);
    }
    if (typeof options.path !== 'string' || options.path === '' || options.path === ':memory:') {
      throw new RangeError(
        `path must name a file (for an in-memory store use createMemoryStore), got ${JSON.stringify(options.path)}`,
      );
    }
    mkdirSync(dirname(options.path), { recursive: true });
    this.#table = new UpdateTable(options.path, synchronous, busyTimeoutMs);
    this.#writer = new WriterClient(
      { path: options.path, synchronous, busyTimeoutMs },
      this.#core.options.onError,
    );
    this.#changes = new ChangeSignal(
      `${options.path}-wal`,
      this.#pollIntervalMs,
      () => this.#poll(),
      this.#core.options.onError,
    );
    this.#group = new GroupCommit(this.#core.budget, (appends) => {
      // Settling twice is harmless: whatever #commit did not settle fails with the unexpected error.
      this.#commit(appends).catch((error: unknown) => {
        for (const append of appends) append.reject(toError(error));
      });
    });
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
    const latest = this.#table.latest();
    return this.#table.oldestAfter(this.#countFloor(latest), this.#notBefore()) ?? latest + 1;
  }

  async size(): Promise<StoreSize> {
    this.#core.checkOpen();
    return this.#table.size(this.#countFloor(), this.#notBefore());
  }

  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void {
    return this.#core.watch(listener, options);
  }

  async close(): Promise<void> {
    if (this.#core.closed) return;
    this.#group.flush();
    this.#core.beginClose();
    await this.#writer.close();
    this.#core.watchers.clear();
    this.#table.close();
  }

  /**
   * Positions at or below this are beyond `maxCount`, even while trimming catches up
   * (positions are contiguous, so the newest `maxCount` are the last `maxCount` numbers).
   */
  #countFloor(latest?: number): number {
    const { maxCount } = this.#core.options;
    return Number.isFinite(maxCount) ? (latest ?? this.#table.latest()) - maxCount : 0;
  }

  #notBefore(): number {
    return Number.isFinite(this.#core.options.maxAgeMs)
      ? this.#now() - this.#core.options.maxAgeMs
      : OLDEST_TIME;
  }

  /** Retention as the writer applies it now. */
  #bounds(): TrimBounds {
    return { maxCount: this.#core.options.maxCount, notBefore: this.#notBefore() };
  }

  /** Group commit: the appends of one turn in one transaction (one fsync); a duplicate fails its own append only. */
  async #commit(appends: PendingAppend[]): Promise<void> {
    this.#committing++;
    try {
      await this.#commitNow(appends);
    } finally {
      this.#committing--;
      if (this.#committing === 0 && this.#pollDeferred) {
        this.#pollDeferred = false;
        this.#poll();
      }
    }
  }

  async #commitNow(appends: PendingAppend[]): Promise<void> {
    const publishedAt = this.#now();
    let result: Awaited<ReturnType<WriterClient['commit']>>;
    try {
      result = await this.#writer.commit(
        appends.map((append) => append.updates),
        publishedAt,
        this.#bounds(),
      );
    } catch (error) {
      this.#deliverHeld();
      for (const append of appends) append.reject(toError(error));
      return;
    }
    const outcomes = appends.map(({ updates }, index) => {
      const outcome = result.outcomes[index]!;
      if ('duplicate' in outcome) return new DuplicateIdError(outcome.duplicate);
      return updates.map((update, offset) => toStored(update, outcome.first + offset, publishedAt));
    });
    const committed = outcomes.filter((outcome): outcome is StoredUpdate[] => !(outcome instanceof Error));
    if (this.#committing > 1 && this.#held.length === 0) {
      // The next commit is already on its way and answers within one fsync: delivered together, its
      // updates and these share each subscriber's write. Held once at most, so never more than one commit late.
      this.#held = committed;
    } else {
      this.#deliverHeld();
      for (const stored of committed) this.#deliverCommitted(stored);
    }
    appends.forEach((append, index) => {
      const outcome = outcomes[index]!;
      if (outcome instanceof Error) append.reject(outcome);
      else append.resolve(outcome);
    });
    if (result.trimmed === TRIM_CHUNK) this.#scheduleTrim();
  }

  #deliverHeld(): void {
    const held = this.#held;
    this.#held = [];
    for (const stored of held) this.#deliverCommitted(stored);
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
    if (this.#committing > 0) {
      // The file most likely changed by our own commit, whose rows its reply brings: reading
      // them back here would decode every update twice. Others' rows are read once it settles
      // (and any that precede ours before ours are delivered, in #deliverCommitted).
      this.#pollDeferred = true;
      return;
    }
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
    this.#core.scheduleTrim(() => this.#writer.trim(this.#bounds()), TRIM_CHUNK);
  }
}
