import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMemoryStore } from './memory.ts';
import { describeStoreConformance } from './testing/conformance.ts';

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
  it('rejects invalid retention options with a RangeError naming the setting', () => {
    assert.throws(() => createMemoryStore({ maxCount: 0 }), /maxCount must be an integer >= 1/);
    assert.throws(() => createMemoryStore({ maxAgeMs: 1.5 }), /maxAgeMs must be an integer >= 1/);
  });
});
