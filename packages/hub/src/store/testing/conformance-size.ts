import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DuplicateIdError } from '../errors.ts';
import type { Update } from '../types.ts';
import { type ConformanceContext, makeUpdate } from './conformance-kit.ts';

/** What size() must report for these updates: their count and their data's UTF-8 bytes. */
const sizeOf = (updates: readonly Update[]) => ({
  updates: updates.length,
  bytes: updates.reduce((sum, update) => sum + new TextEncoder().encode(update.data).length, 0),
});

/** Conformance: size() counts what is kept (updates and payload bytes), before and after retention. */
export function sizeConformance({ open, harness }: ConformanceContext): void {
  it('reports size 0 updates and 0 bytes when empty', async () => {
    const store = await open();
    assert.deepEqual(await store.size(), { updates: 0, bytes: 0 });
  });

  it('reports size as the count of kept updates and the UTF-8 bytes of their data', async () => {
    const store = await open();
    // Multi-byte data: bytes are UTF-8 bytes, not string length (é 2, € 3, 🎉 4 bytes).
    const updates = [makeUpdate({ data: 'plain' }), makeUpdate({ data: 'é€🎉' }), makeUpdate({ data: '' })];
    await store.append(updates.slice(0, 1));
    await store.append(updates.slice(1));
    assert.deepEqual(await store.size(), { updates: 3, bytes: 5 + 9 });
  });

  it('does not count a batch rejected as a duplicate in size', async () => {
    const store = await open();
    const kept = makeUpdate({ data: 'kept' });
    await store.append([kept]);
    await assert.rejects(store.append([makeUpdate({ data: 'never' }), { ...kept }]), DuplicateIdError);
    assert.deepEqual(await store.size(), sizeOf([kept]));
  });

  it('counts in size only the newest maxCount updates once retention by count trims', async () => {
    const store = await open({ maxCount: 3 });
    const updates = Array.from({ length: 6 }, (_, index) => makeUpdate({ data: 'x'.repeat(index + 1) }));
    await store.append(updates.slice(0, 5));
    await store.append(updates.slice(5));
    assert.deepEqual(await store.size(), sizeOf(updates.slice(3)));
  });

  it('counts in size only the updates younger than maxAgeMs once retention by age trims', async () => {
    const store = await open({ maxAgeMs: harness().maxAgeMs });
    await store.append([makeUpdate({ data: 'old and long' }), makeUpdate({ data: 'old' })]);
    await harness().elapse(harness().maxAgeMs + 1);
    const fresh = [makeUpdate({ data: 'fresh' })];
    await store.append(fresh);
    assert.deepEqual(await store.size(), sizeOf(fresh));
  });
}
