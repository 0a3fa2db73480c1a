/**
 * A worker's store when the primary owns the real one (memory, sqlite): every call goes to the
 * primary, and the primary sends every stored update to every worker.
 */
import { StoreClosedError, StoreOverloadedError, StoreUnavailableError } from '../store/errors.ts';
import type { StoredUpdate, StoreSize, Update, UpdateStore, WatchOptions } from '../store/types.ts';
import { Watchers } from '../store/watchers.ts';
import { ChannelClosedError, type RpcHandlers, type RpcPeer, TooManyCallsError } from './rpc.ts';
import { fromWire, type WireError } from './wire-errors.ts';

/** The store of a worker process, served by the primary's {@link StoreServer}. */
export class IpcStore implements UpdateStore {
  readonly #peer: RpcPeer;
  readonly #watchers: Watchers;
  #closed = false;

  constructor(peer: RpcPeer, onError: (error: Error) => void) {
    this.#peer = peer;
    this.#watchers = new Watchers(onError);
  }

  /** The notes the primary sends this store; merge them into the worker's RPC handlers. */
  notes(): RpcHandlers {
    return {
      updates: (batch: never) => this.#deliver(batch),
      watchError: (wire: never) => this.#watchers.fail(fromWire(wire as WireError)),
    };
  }

  #deliver(batch: StoredUpdate[]): void {
    for (const update of batch) this.#watchers.deliver(update);
    // Acknowledged once written: the dispatcher writes at the end of this turn (an earlier
    // setImmediate), and the primary sends the next batch only then (store-server.ts).
    setImmediate(() => this.#peer.note('acknowledge', batch.length));
  }

  async #call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.#closed) throw new StoreClosedError();
    try {
      return await this.#peer.call<T>(method, ...args);
    } catch (error) {
      // Too many calls waiting for the primary: refused at once, as a store whose queue is full refuses.
      if (error instanceof TooManyCallsError) throw new StoreOverloadedError(error.limit);
      if (!(error instanceof ChannelClosedError)) throw error;
      // The primary died: an append it received may have been stored (ambiguous), as with a lost
      // connection to Redis. The hub answers 503 and the worker stops with its primary.
      const message = `the hub's primary process, which holds the store, is gone (${error.message})`;
      throw new StoreUnavailableError(message, method === 'append', error);
    }
  }

  append(updates: readonly Update[]): Promise<StoredUpdate[]> {
    if (updates.length === 0 && !this.#closed) return Promise.resolve([]);
    return this.#call('append', updates);
  }

  positionOf(id: string): Promise<number | undefined> {
    return this.#call('positionOf', id);
  }

  readAfter(after: number, limit: number): Promise<StoredUpdate[]> {
    return this.#call('readAfter', after, limit);
  }

  latestPosition(): Promise<number> {
    return this.#call('latestPosition');
  }

  earliestPosition(): Promise<number> {
    return this.#call('earliestPosition');
  }

  size(): Promise<StoreSize> {
    return this.#call('size');
  }

  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void {
    if (this.#closed) throw new StoreClosedError();
    return this.#watchers.add(listener, options);
  }

  /** Stops this worker's use of the store; the primary keeps the store open for the others. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#watchers.clear();
  }
}
