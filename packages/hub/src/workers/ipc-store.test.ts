import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailableError } from '../store/errors.ts';
import { createMemoryStore } from '../store/memory.ts';
import { describeStoreConformance, makeUpdate } from '../store/testing/conformance.ts';
import type { RetentionOptions, UpdateStore } from '../store/types.ts';
import { eventually } from '../testing/eventually.ts';
import { IpcStore } from './ipc-store.ts';
import { type RpcHandlers, RpcPeer } from './rpc.ts';
import { StoreServer } from './store-server.ts';
import { ipcPair } from './testing/ipc-pair.ts';

/** A memory store in the "primary", and the worker's IpcStore reaching it over an in-process channel. */
function storeOverIpc(store: UpdateStore, maxUnacknowledged?: number) {
  const pair = ipcPair();
  const server = new StoreServer(store, maxUnacknowledged);
  const primary = new RpcPeer(pair.primary, server.handlersFor(1));
  server.attach(1, primary);
  const handlers: RpcHandlers = {};
  const worker = new RpcPeer(pair.worker, handlers);
  const ipcStore = new IpcStore(worker, () => {});
  Object.assign(handlers, ipcStore.notes());
  return {
    ipcStore,
    server,
    handlers,
    cut: () => {
      pair.cut();
      worker.close();
      primary.close();
    },
  };
}

describeStoreConformance('memory, from a worker over IPC', async () => {
  let clock = 1_700_000_000_000;
  const primaries: UpdateStore[] = [];
  return {
    open: async (retention?: RetentionOptions) => {
      const store = createMemoryStore({ ...retention, now: () => clock });
      primaries.push(store);
      return storeOverIpc(store).ipcStore;
    },
    elapse: async (ms) => {
      clock += ms;
    },
    maxAgeMs: 60_000,
    dispose: async () => {
      for (const store of primaries) await store.close();
    },
  };
});

describe('a worker store whose primary is gone', () => {
  it('refuses an append with an ambiguous StoreUnavailableError (the hub answers 503)', async () => {
    const { ipcStore, cut } = storeOverIpc(createMemoryStore());
    cut();
    await assert.rejects(ipcStore.append([makeUpdate()]), (error: unknown) => {
      return (
        error instanceof StoreUnavailableError && error.ambiguous && /primary process/.test(error.message)
      );
    });
  });
});

describe('the primary feeding a worker', () => {
  it('sends one batch at a time: what is stored before the worker acknowledges goes out together', async () => {
    const store = createMemoryStore();
    const { ipcStore, handlers } = storeOverIpc(store);
    const batches: number[][] = [];
    const held: (() => void)[] = [];
    const deliver = handlers['updates']!;
    handlers['updates'] = ((batch: never) => {
      batches.push((batch as { position: number }[]).map((update) => update.position));
      held.push(() => deliver(batch));
    }) as never;
    const delivered: number[] = [];
    ipcStore.watch((update) => delivered.push(update.position));
    await store.append([makeUpdate()]);
    await eventually(() => batches.length === 1, 'the first update was never sent');
    await store.append([makeUpdate()]);
    await store.append([makeUpdate()]);
    // Enough turns for the loopback channel to carry a batch, had one been sent.
    for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(batches, [[1]]);
    held.shift()!();
    await eventually(() => batches.length === 2, 'the held updates were never sent');
    assert.deepEqual(batches, [[1], [2, 3]]);
    held.shift()!();
    await eventually(
      () => delivered.length === 3,
      () => `delivered ${delivered}`,
    );
    assert.deepEqual(delivered, [1, 2, 3]);
    await store.close();
  });

  it('sends nothing past the cap, then tells the worker of the gap once it has caught up', async () => {
    const store = createMemoryStore();
    const { ipcStore, handlers } = storeOverIpc(store, 5);
    // The worker takes batches but acknowledges them only when released.
    const held: (() => void)[] = [];
    const deliver = handlers['updates']!;
    handlers['updates'] = ((batch: never) => held.push(() => deliver(batch))) as never;
    const delivered: number[] = [];
    const errors: Error[] = [];
    ipcStore.watch((update) => delivered.push(update.position), { onError: (error) => errors.push(error) });
    for (let i = 0; i < 3; i++) {
      await store.append([makeUpdate(), makeUpdate()]);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The third batch would pass the cap of 5 (2 in flight, 2 waiting for them).
    for (let release = held.shift(); release !== undefined; release = held.shift()) {
      release();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(delivered, [1, 2, 3, 4]);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.name, 'WatchGapError');
    assert.match(errors[0]!.message, /positions 5\.\.6/);
    await store.close();
  });
});
