import { StoreCore } from './core.ts';
import { DuplicateIdError } from './errors.ts';
import { checkReadAfter } from './options.ts';
import { toStored } from './stored.ts';
import type { StoredUpdate, StoreOptions, StoreSize, Update, UpdateStore, WatchOptions } from './types.ts';

/** Updates a memory store keeps when `maxCount` is not given: memory is never unbounded. */
export const DEFAULT_MEMORY_MAX_COUNT = 100_000;

/** Options of {@link createMemoryStore}. `maxCount` defaults to {@link DEFAULT_MEMORY_MAX_COUNT}. */
export interface MemoryStoreOptions extends StoreOptions {
  /** The clock stamping `publishedAt` and driving age retention. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * History kept in this process only: a bounded ring (by `maxCount` and `maxAgeMs`), lost
 * on restart, invisible to other processes. For tests, development and single-process
 * hubs that accept losing history on restart. Watchers hear of an update synchronously,
 * before `append` resolves.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): UpdateStore {
  return new MemoryStore(options);
}

/** Below this many dead slots the ring does not bother compacting its array. */
const COMPACT_AT = 1024;

class MemoryStore implements UpdateStore {
  readonly #core: StoreCore;
  readonly #now: () => number;
  /** Kept updates, oldest first, from index #head; positions are contiguous. */
  #ring: StoredUpdate[] = [];
  #head = 0;
  readonly #positions = new Map<string, number>();
  #latest = 0;
  /** UTF-8 bytes of the kept updates' data: a running total, so size() costs nothing. */
  #bytes = 0;

  constructor(options: MemoryStoreOptions) {
    this.#core = new StoreCore({ ...options, maxCount: options.maxCount ?? DEFAULT_MEMORY_MAX_COUNT });
    this.#now = options.now ?? Date.now;
    this.#core.startTrimTimer(() => this.#trim());
  }

  async append(updates: readonly Update[]): Promise<StoredUpdate[]> {
    if (!this.#core.admit(updates)) return [];
    for (const update of updates) {
      if (this.#positions.has(update.id)) throw new DuplicateIdError(update.id);
    }
    const publishedAt = this.#now();
    const stored = updates.map((update) => toStored(update, ++this.#latest, publishedAt));
    for (const update of stored) {
      this.#ring.push(update);
      this.#positions.set(update.id, update.position);
      this.#bytes += Buffer.byteLength(update.data);
    }
    this.#trim();
    for (const update of stored) this.#core.watchers.deliver(update);
    return stored;
  }

  async positionOf(id: string): Promise<number | undefined> {
    this.#core.checkOpen();
    this.#trim();
    return this.#positions.get(id);
  }

  async readAfter(after: number, limit: number): Promise<StoredUpdate[]> {
    this.#core.checkOpen();
    checkReadAfter(after, limit);
    this.#trim();
    const oldest = this.#ring[this.#head];
    if (!oldest) return [];
    const start = this.#head + Math.max(0, after + 1 - oldest.position);
    return this.#ring.slice(start, start + limit);
  }

  async latestPosition(): Promise<number> {
    this.#core.checkOpen();
    return this.#latest;
  }

  async earliestPosition(): Promise<number> {
    this.#core.checkOpen();
    this.#trim();
    return this.#ring[this.#head]?.position ?? this.#latest + 1;
  }

  async size(): Promise<StoreSize> {
    this.#core.checkOpen();
    this.#trim();
    return { updates: this.#ring.length - this.#head, bytes: this.#bytes };
  }

  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void {
    return this.#core.watch(listener, options);
  }

  async close(): Promise<void> {
    if (!this.#core.beginClose()) return;
    this.#core.watchers.clear();
    this.#ring = [];
    this.#head = 0;
    this.#positions.clear();
    this.#bytes = 0;
  }

  /** Drops what retention no longer keeps: over `maxCount`, then older than `maxAgeMs`. */
  #trim(): void {
    const { maxCount, maxAgeMs } = this.#core.options;
    const cutoff = this.#now() - maxAgeMs;
    while (this.#head < this.#ring.length) {
      const oldest = this.#ring[this.#head]!;
      if (this.#ring.length - this.#head <= maxCount && oldest.publishedAt >= cutoff) break;
      this.#positions.delete(oldest.id);
      this.#bytes -= Buffer.byteLength(oldest.data);
      this.#head++;
    }
    if (this.#head >= COMPACT_AT && this.#head * 2 >= this.#ring.length) {
      this.#ring = this.#ring.slice(this.#head);
      this.#head = 0;
    }
  }
}
