import { afterEach, beforeEach, describe } from 'node:test';
import type { RetentionOptions, StoredUpdate, Update, UpdateStore } from '../types.ts';
import { appendConformance } from './conformance-appends.ts';
import { modelConformance } from './conformance-model.ts';
import { readConformance } from './conformance-reads.ts';
import { sizeConformance } from './conformance-size.ts';
import { watchConformance } from './conformance-watch.ts';

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

/** The behaviour every UpdateStore engine must share, one test per behaviour. */
export function describeStoreConformance(engine: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`${engine} store conformance`, { timeout: 300_000 }, () => {
    let harness: StoreHarness;
    const opened: UpdateStore[] = [];
    const open = async (options?: RetentionOptions) => {
      const store = await harness.open(options);
      opened.push(store);
      return store;
    };
    beforeEach(async () => {
      harness = await createHarness();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await harness.dispose();
    });

    const context: ConformanceContext = { open, harness: () => harness };
    appendConformance(context);
    readConformance(context);
    sizeConformance(context);
    watchConformance(context);
    modelConformance(context);
  });
}
