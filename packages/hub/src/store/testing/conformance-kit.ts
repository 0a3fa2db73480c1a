/** What the store conformance suites share: the harness an engine provides, and update helpers. */
import type { RetentionOptions, StoredUpdate, Update, UpdateStore } from '../types.ts';

/** What the conformance suite needs from one engine. */
export interface StoreHarness {
  /** Opens a fresh, empty store with these retention options. */
  open(options?: RetentionOptions): Promise<UpdateStore>;
  /** Lets `ms` milliseconds pass on the store's clock (a fake clock, or really waiting). */
  elapse(ms: number): Promise<void>;
  /** The `maxAgeMs` the age-retention test uses: long for fake clocks, short when really waiting. */
  maxAgeMs: number;
  /** Releases what the harness opened (files, servers). */
  dispose(): Promise<void>;
}

let counter = 0;
/** A valid update with a fresh id; fields may be overridden. */
export function makeUpdate(fields: Partial<Update> = {}): Update {
  counter++;
  return {
    id: `urn:update:${process.pid}:${counter}`,
    topics: ['https://example.com/books/1'],
    data: `d${counter}`,
    private: false,
    ...fields,
  };
}

/** Resolves with the first `count` updates `store.watch` delivers. */
export function collect(store: UpdateStore, count: number): Promise<StoredUpdate[]> {
  return new Promise((resolve) => {
    const seen: StoredUpdate[] = [];
    const stop = store.watch((update) => {
      seen.push(update);
      if (seen.length === count) {
        stop();
        resolve(seen);
      }
    });
  });
}

export const ids = (updates: readonly { id: string }[]) => updates.map((update) => update.id);

/** What each group of conformance tests gets: a way to open stores (closed after each test) and the harness. */
export interface ConformanceContext {
  open(options?: RetentionOptions): Promise<UpdateStore>;
  harness(): StoreHarness;
}
