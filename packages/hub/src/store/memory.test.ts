import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore, DEFAULT_MEMORY_MAX_COUNT } from './memory.ts';
import { describeStoreConformance, makeUpdate } from './testing/conformance.ts';

describeStoreConformance('memory', async () => {
  let clock = 1_700_000_000_000;
  return {
    open: async (retention) => createMemoryStore({ ...retention, now: () => clock }),
    elapse: async (ms) => {
      clock += ms;
    },
    maxAgeMs: 60_000,
    dispose: async () => {},
  };
});

describe('memory store', () => {
  it('keeps at most DEFAULT_MEMORY_MAX_COUNT updates when no maxCount is given', async () => {
    const store = createMemoryStore();
    const updates = Array.from({ length: DEFAULT_MEMORY_MAX_COUNT + 5 }, () => makeUpdate());
    await store.append(updates);
    assert.equal(await store.earliestPosition(), 6);
    assert.equal(await store.positionOf(updates[4]!.id), undefined);
    await store.close();
  });

  it('rejects invalid retention options with a RangeError naming the setting', () => {
    assert.throws(() => createMemoryStore({ maxCount: 0 }), /maxCount must be an integer >= 1/);
    assert.throws(() => createMemoryStore({ maxAgeMs: 1.5 }), /maxAgeMs must be an integer >= 1/);
  });
});
