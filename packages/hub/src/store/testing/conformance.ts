import { afterEach, beforeEach, describe } from 'node:test';
import type { RetentionOptions, UpdateStore } from '../types.ts';
import { appendConformance } from './conformance-appends.ts';
import type { ConformanceContext, StoreHarness } from './conformance-kit.ts';
import { modelConformance } from './conformance-model.ts';
import { readConformance } from './conformance-reads.ts';
import { sizeConformance } from './conformance-size.ts';
import { watchConformance } from './conformance-watch.ts';

export {
  type ConformanceContext,
  collect,
  ids,
  makeUpdate,
  type StoreHarness,
} from './conformance-kit.ts';

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
