import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { DuplicateIdError, StoreClosedError } from '../errors.ts';
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

const ids = (updates: readonly { id: string }[]) => updates.map((update) => update.id);

/** The behaviour every UpdateStore engine must share, one test per behaviour. */
export function describeStoreConformance(engine: string, createHarness: () => Promise<StoreHarness>): void {
  describe(`${engine} store conformance`, { timeout: 30_000 }, () => {
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
      const store = await open({ maxAgeMs: harness.maxAgeMs });
      const old = await store.append([makeUpdate(), makeUpdate()]);
      await harness.elapse(harness.maxAgeMs + 1);
      const fresh = await store.append([makeUpdate()]);
      assert.deepEqual(await store.readAfter(0, 10), fresh);
      assert.equal(await store.positionOf(old[0]!.id), undefined);
      assert.equal(await store.earliestPosition(), fresh[0]!.position);
    });

    it('never reuses a position, even after retention dropped everything', async () => {
      const store = await open({ maxAgeMs: harness.maxAgeMs });
      const old = await store.append([makeUpdate(), makeUpdate()]);
      await harness.elapse(harness.maxAgeMs + 1);
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

    it('delivers updates appended after watch, in position order', async () => {
      const store = await open();
      const received = collect(store, 4);
      const stored = [
        ...(await store.append([makeUpdate()])),
        ...(await store.append([makeUpdate(), makeUpdate(), makeUpdate()])),
      ];
      assert.deepEqual(await received, stored);
    });

    it('does not deliver to a watcher after it stopped', async () => {
      const store = await open();
      const stopped: StoredUpdate[] = [];
      store.watch((update) => stopped.push(update))();
      const received = collect(store, 1);
      await store.append([makeUpdate()]);
      await received;
      assert.deepEqual(stopped, []);
    });

    it('a throwing listener gets its error on onError and does not starve other watchers', async () => {
      const store = await open();
      const failure = new Error('listener broke');
      const errors: Error[] = [];
      store.watch(
        () => {
          throw failure;
        },
        { onError: (error) => errors.push(error) },
      );
      const received = collect(store, 2);
      await store.append([makeUpdate(), makeUpdate()]);
      assert.equal((await received).length, 2);
      assert.deepEqual(errors, [failure, failure]);
    });

    it('rejects every call after close with StoreClosedError', async () => {
      const store = await open();
      await store.append([makeUpdate()]);
      await store.close();
      await assert.rejects(store.append([makeUpdate()]), StoreClosedError);
      await assert.rejects(store.readAfter(0, 1), StoreClosedError);
      await assert.rejects(store.positionOf('x'), StoreClosedError);
      await assert.rejects(store.latestPosition(), StoreClosedError);
      await assert.rejects(store.earliestPosition(), StoreClosedError);
      assert.throws(() => store.watch(() => {}), StoreClosedError);
      await store.close();
    });

    it('writes appends still pending when close is called', async () => {
      const store = await open();
      const pending = store.append([makeUpdate()]);
      const closing = store.close();
      const [stored] = await pending;
      await closing;
      assert.equal(stored!.position, 1);
    });
  });
}
