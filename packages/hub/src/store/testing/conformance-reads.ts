import assert from 'node:assert/strict';
import { it } from 'node:test';
import { type ConformanceContext, ids, makeUpdate } from './conformance-kit.ts';

/** Conformance: reads (positionOf, readAfter, bounds) and retention. */
export function readConformance({ open, harness }: ConformanceContext): void {
  it('answers positionOf for an unknown id with undefined', async () => {
    const store = await open();
    await store.append([makeUpdate()]);
    assert.equal(await store.positionOf('urn:never-published'), undefined);
  });

  it('answers positionOf for a kept id with its position', async () => {
    const store = await open();
    const stored = await store.append([makeUpdate(), makeUpdate()]);
    assert.equal(await store.positionOf(stored[1]!.id), stored[1]!.position);
  });

  it('pages through readAfter by position and limit', async () => {
    const store = await open();
    const stored = await store.append(Array.from({ length: 7 }, () => makeUpdate()));
    const page1 = await store.readAfter(0, 3);
    const page2 = await store.readAfter(page1.at(-1)!.position, 3);
    const page3 = await store.readAfter(page2.at(-1)!.position, 3);
    assert.deepEqual([...page1, ...page2, ...page3], stored);
    assert.equal(page3.length, 1);
    assert.deepEqual(await store.readAfter(stored.at(-1)!.position, 3), []);
    assert.deepEqual(await store.readAfter(stored[4]!.position, 100), stored.slice(5));
  });

  it('rejects readAfter with a negative position or a limit below 1 (RangeError)', async () => {
    const store = await open();
    await assert.rejects(store.readAfter(-1, 10), RangeError);
    await assert.rejects(store.readAfter(0, 0), RangeError);
    await assert.rejects(store.readAfter(0.5, 10), RangeError);
  });

  it('reports latest 0 and earliest 1 when empty, then the ends of what is kept', async () => {
    const store = await open();
    assert.equal(await store.latestPosition(), 0);
    assert.equal(await store.earliestPosition(), 1);
    const stored = await store.append([makeUpdate(), makeUpdate()]);
    assert.equal(await store.latestPosition(), stored[1]!.position);
    assert.equal(await store.earliestPosition(), stored[0]!.position);
  });

  it('keeps only the newest maxCount updates (retention by count)', async () => {
    const store = await open({ maxCount: 3 });
    const stored = await store.append(Array.from({ length: 5 }, () => makeUpdate()));
    await store.append([makeUpdate()]);
    const kept = await store.readAfter(0, 10);
    assert.deepEqual(ids(kept.slice(0, 2)), ids(stored.slice(3)));
    assert.equal(kept.length, 3);
    assert.equal(await store.positionOf(stored[0]!.id), undefined);
    assert.equal(await store.earliestPosition(), stored[3]!.position);
  });

  it('drops updates older than maxAgeMs (retention by age)', async () => {
    const store = await open({ maxAgeMs: harness().maxAgeMs });
    const old = await store.append([makeUpdate(), makeUpdate()]);
    await harness().elapse(harness().maxAgeMs + 1);
    const fresh = await store.append([makeUpdate()]);
    assert.deepEqual(await store.readAfter(0, 10), fresh);
    assert.equal(await store.positionOf(old[0]!.id), undefined);
    assert.equal(await store.earliestPosition(), fresh[0]!.position);
  });

  it('never reuses a position, even after retention dropped everything', async () => {
    const store = await open({ maxAgeMs: harness().maxAgeMs });
    const old = await store.append([makeUpdate(), makeUpdate()]);
    await harness().elapse(harness().maxAgeMs + 1);
    assert.equal(await store.latestPosition(), old[1]!.position);
    const [next] = await store.append([makeUpdate()]);
    assert.equal(next!.position, old[1]!.position + 1);
  });

  it('lets an id be published again once retention dropped it', async () => {
    const store = await open({ maxCount: 1 });
    const first = makeUpdate();
    await store.append([first]);
    await store.append([makeUpdate()]);
    const [again] = await store.append([makeUpdate({ id: first.id })]);
    assert.equal(await store.positionOf(first.id), again!.position);
  });
}
