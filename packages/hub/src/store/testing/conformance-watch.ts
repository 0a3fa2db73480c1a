import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreClosedError } from '../errors.ts';
import type { StoredUpdate } from '../types.ts';
import { type ConformanceContext, collect, makeUpdate } from './conformance-kit.ts';

/** Conformance: watch delivery and close. */
export function watchConformance({ open }: ConformanceContext): void {
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
}
