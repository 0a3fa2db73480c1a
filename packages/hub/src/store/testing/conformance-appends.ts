import assert from 'node:assert/strict';
import { it } from 'node:test';
import { DuplicateIdError } from '../errors.ts';
import type { StoredUpdate } from '../types.ts';
import { type ConformanceContext, ids, makeUpdate } from './conformance-kit.ts';

/** Conformance: appends (order, fields, all or nothing, duplicates). */
export function appendConformance({ open }: ConformanceContext): void {
  it('gives strictly increasing positions in append order, across single appends and batches', async () => {
    const store = await open();
    const first = await store.append([makeUpdate()]);
    const batch = await store.append([makeUpdate(), makeUpdate(), makeUpdate()]);
    const last = await store.append([makeUpdate()]);
    const positions = [...first, ...batch, ...last].map((update) => update.position);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    assert.equal(new Set(positions).size, 5);
    assert.deepEqual(await store.readAfter(0, 10), [...first, ...batch, ...last]);
  });

  it('orders concurrent appends in call order', async () => {
    const store = await open();
    const updates = Array.from({ length: 150 }, () => makeUpdate());
    const results = await Promise.all(updates.map((update) => store.append([update])));
    const positions = results.map(([stored]) => stored!.position);
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
    );
    assert.deepEqual(ids(await store.readAfter(0, 1000)), ids(updates));
  });

  it('returns and keeps every field as given, with its position and publish time', async () => {
    const store = await open();
    const update = makeUpdate({
      topics: ['a', 'b'],
      data: 'line 1\nline 2\r\nü 🚀',
      private: true,
      type: 'x',
      retry: 3000,
    });
    const plain = makeUpdate();
    const stored = await store.append([update, plain]);
    assert.deepEqual(stored[0], {
      ...update,
      position: stored[0]!.position,
      publishedAt: stored[0]!.publishedAt,
    });
    assert.equal('type' in stored[1]!, false);
    assert.equal('retry' in stored[1]!, false);
    assert.ok(Number.isSafeInteger(stored[0]!.publishedAt));
    assert.equal(stored[1]!.publishedAt, stored[0]!.publishedAt);
    assert.deepEqual(await store.readAfter(0, 10), stored);
  });

  it('resolves an empty append to an empty array', async () => {
    const store = await open();
    assert.deepEqual(await store.append([]), []);
    assert.equal(await store.latestPosition(), 0);
  });

  it('rejects an id already kept with a DuplicateIdError naming it', async () => {
    const store = await open();
    const update = makeUpdate();
    await store.append([update]);
    await assert.rejects(store.append([makeUpdate({ id: update.id })]), (error: unknown) => {
      return error instanceof DuplicateIdError && error.id === update.id;
    });
  });

  it('stores nothing of a batch that contains a kept id (all or nothing)', async () => {
    const store = await open();
    const kept = makeUpdate();
    await store.append([kept]);
    const batch = [makeUpdate(), makeUpdate({ id: kept.id }), makeUpdate()];
    await assert.rejects(store.append(batch), DuplicateIdError);
    assert.deepEqual(ids(await store.readAfter(0, 10)), [kept.id]);
    assert.equal(await store.positionOf(batch[0]!.id), undefined);
    const next = await store.append([makeUpdate()]);
    assert.ok(next[0]!.position > 1);
  });

  it('stores nothing of a batch that repeats an id within itself', async () => {
    const store = await open();
    const update = makeUpdate();
    await assert.rejects(store.append([update, makeUpdate(), { ...update }]), DuplicateIdError);
    assert.deepEqual(await store.readAfter(0, 10), []);
  });

  it('a rejected batch does not affect appends batched with it', async () => {
    const store = await open();
    const kept = makeUpdate();
    await store.append([kept]);
    const good = makeUpdate();
    const [bad, fine] = await Promise.allSettled([
      store.append([makeUpdate({ id: kept.id })]),
      store.append([good]),
    ]);
    assert.equal(bad.status, 'rejected');
    assert.equal(fine.status, 'fulfilled');
    assert.deepEqual(ids(await store.readAfter(0, 10)), [kept.id, good.id]);
  });

  it('keeps positions contiguous across a rejected batch, so watchers see no gap', async () => {
    const store = await open();
    const errors: Error[] = [];
    const received = new Promise<StoredUpdate[]>((resolve) => {
      const seen: StoredUpdate[] = [];
      store.watch((update) => seen.push(update) === 3 && resolve(seen), {
        onError: (error) => errors.push(error),
      });
    });
    const [kept] = await store.append([makeUpdate()]);
    const results = await Promise.allSettled([
      store.append([makeUpdate(), makeUpdate({ id: kept!.id })]),
      store.append([makeUpdate()]),
    ]);
    assert.equal(results[0].status, 'rejected');
    const [next] = await store.append([makeUpdate()]);
    assert.deepEqual(
      (await received).map((update) => update.position),
      [kept!.position, kept!.position + 1, kept!.position + 2],
    );
    assert.equal(next!.position, kept!.position + 2);
    assert.deepEqual(errors, []);
  });

  it('lets exactly one of two racing appends of the same id win', async () => {
    const store = await open();
    const update = makeUpdate();
    const [first, second] = await Promise.allSettled([
      store.append([update]),
      store.append([{ ...update, data: 'other' }]),
    ]);
    assert.equal(first.status, 'fulfilled');
    assert.equal(second.status, 'rejected');
    assert.ok(second.status === 'rejected' && second.reason instanceof DuplicateIdError);
    assert.deepEqual(await store.readAfter(0, 10), first.status === 'fulfilled' ? first.value : []);
  });
}
