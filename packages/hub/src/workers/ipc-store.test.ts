import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StoreUnavailableError } from '../store/errors.ts';
import { createMemoryStore } from '../store/memory.ts';
import { describeStoreConformance, makeUpdate } from '../store/testing/conformance.ts';
import type { RetentionOptions, StoredUpdate, UpdateStore } from '../store/types.ts';
import { eventually } from '../testing/eventually.ts';
import { IpcStore } from './ipc-store.ts';
import { type RpcHandlers, RpcPeer } from './rpc.ts';
import { StoreServer, type StoreServerOptions } from './store-server.ts';
import { ipcPair } from './testing/ipc-pair.ts';

/** A worker's IpcStore reaching the primary's StoreServer over an in-process channel. */
function workerOf(server: StoreServer, workerId: number) {
  const pair = ipcPair();
  const primary = new RpcPeer(pair.primary, server.handlersFor(workerId));
  server.attach(workerId, primary);
  const handlers: RpcHandlers = {};
  const worker = new RpcPeer(pair.worker, handlers);
  const ipcStore = new IpcStore(worker, () => {});
  Object.assign(handlers, ipcStore.notes());
  return {
    ipcStore,
    handlers,
    cut: () => {
      pair.cut();
      worker.close();
      primary.close();
    },
  };
}

/** A memory store in the "primary", and one worker's IpcStore reaching it. */
function storeOverIpc(store: UpdateStore, options?: StoreServerOptions) {
  const server = new StoreServer(store, options);
  return { ...workerOf(server, 1), server };
}

/**
 * A worker that takes the batches it is sent but writes (and so acknowledges) each only when released:
 * `batches` lists the positions of each batch received.
 */
function holdingWorker(
  server: StoreServer,
  workerId: number,
  onUpdate: (update: StoredUpdate) => void = () => {},
) {
  const { ipcStore, handlers } = workerOf(server, workerId);
  const batches: number[][] = [];
  const held: (() => void)[] = [];
  const deliver = handlers['updates']!;
  handlers['updates'] = ((batch: never) => {
    batches.push((batch as { position: number }[]).map((update) => update.position));
    held.push(() => deliver(batch));
  }) as never;
  ipcStore.watch(onUpdate);
  return { batches, release: () => held.shift()!() };
}

/**
 * Two holding workers, sent the first update; worker 1 has written it (acknowledged), worker 2 still
 * writes it.
 */
async function firstBatchWrittenByWorker1(options?: StoreServerOptions) {
  const store = createMemoryStore();
  const server = new StoreServer(store, options);
  const a = holdingWorker(server, 1);
  const b = holdingWorker(server, 2);
  await store.append([makeUpdate()]);
  await eventually(() => a.batches.length === 1 && b.batches.length === 1, 'the first update was never sent');
  a.release();
  return { store, server, a, b };
}

/** Enough turns for the loopback channel to carry a batch, had one been sent. */
async function someTurns(): Promise<void> {
  for (let turn = 0; turn < 10; turn++) await new Promise((resolve) => setImmediate(resolve));
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
    const delivered: number[] = [];
    const { batches, release } = holdingWorker(new StoreServer(store), 1, (update) =>
      delivered.push(update.position),
    );
    await store.append([makeUpdate()]);
    await eventually(() => batches.length === 1, 'the first update was never sent');
    await store.append([makeUpdate()]);
    await store.append([makeUpdate()]);
    await someTurns();
    assert.deepEqual(batches, [[1]]);
    release();
    await eventually(() => batches.length === 2, 'the held updates were never sent');
    assert.deepEqual(batches, [[1], [2, 3]]);
    release();
    await eventually(
      () => delivered.length === 3,
      () => `delivered ${delivered}`,
    );
    assert.deepEqual(delivered, [1, 2, 3]);
    await store.close();
  });

  it('sends nothing past the cap, then tells the worker of the gap once it has caught up', async () => {
    const store = createMemoryStore();
    const { ipcStore, handlers } = storeOverIpc(store, { maxUnacknowledged: 5 });
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

  it('sends the next batch once every worker has written the one before, the same batch to each', async () => {
    const { store, server, a, b } = await firstBatchWrittenByWorker1();
    await store.append([makeUpdate()]);
    await store.append([makeUpdate()]);
    await someTurns();
    assert.deepEqual(a.batches, [[1]], 'worker 1 got a batch while worker 2 still wrote the one before');
    b.release();
    await eventually(
      () => a.batches.length === 2 && b.batches.length === 2,
      'the held updates were never sent',
    );
    assert.deepEqual(a.batches, [[1], [2, 3]]);
    assert.deepEqual(b.batches, [[1], [2, 3]]);
    server.stop();
    await store.close();
  });

  it('stops waiting for a worker that writes for longer than the step wait', async () => {
    const { store, server, a, b } = await firstBatchWrittenByWorker1({ stepWaitMs: 30 });
    await store.append([makeUpdate()]);
    await eventually(() => a.batches.length === 2, 'worker 1 waited for worker 2 past the step wait');
    assert.deepEqual(a.batches, [[1], [2]]);
    assert.deepEqual(b.batches, [[1]]);
    b.release();
    await eventually(() => b.batches.length === 2, 'worker 2 never got what it missed');
    assert.deepEqual(b.batches, [[1], [2]]);
    server.stop();
    await store.close();
  });

  it('stops waiting for a worker that exits', async () => {
    const { store, server, a, b } = await firstBatchWrittenByWorker1();
    await store.append([makeUpdate()]);
    await someTurns();
    assert.deepEqual(a.batches, [[1]]);
    server.detach(2);
    await eventually(() => a.batches.length === 2, 'worker 1 still waited for the worker that exited');
    assert.deepEqual(a.batches, [[1], [2]]);
    server.stop();
    await store.close();
  });
});
