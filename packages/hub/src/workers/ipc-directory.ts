/**
 * The hub-wide subscriber directory of a multi-process hub: the primary holds it, so the limits hold for
 * the whole hub (a client cannot dodge maxSubscribersPerAddress by landing on several workers) and the
 * subscriptions API lists every worker's subscribers.
 */
import {
  type DirectoryEntry,
  type DirectoryLimits,
  LocalDirectory,
  plainEntry,
  type SubscriberDirectory,
} from '../core/directory.ts';
import type { RpcHandlers, RpcPeer } from './rpc.ts';

/** The primary's directory: every worker's subscribers, by worker. */
export class PrimaryDirectory {
  readonly #all: LocalDirectory;
  readonly #byWorker = new Map<number, Set<string>>();

  constructor(limits: DirectoryLimits) {
    this.#all = new LocalDirectory(limits);
  }

  /** The calls a worker may make. */
  handlersFor(workerId: number): RpcHandlers {
    return {
      admit: (entry: never) => this.#admit(workerId, entry),
      leave: (subscriber: never) => this.#leave(workerId, subscriber),
      list: () => this.#all.entries(),
      count: () => this.#all.size,
    };
  }

  /** Forgets the subscribers of a worker that exited; returns them (they are no longer connected). */
  dropWorker(workerId: number): DirectoryEntry[] {
    const ids = this.#byWorker.get(workerId) ?? new Set<string>();
    this.#byWorker.delete(workerId);
    const dropped = this.#all.entries().filter((entry) => ids.has(entry.subscriber));
    for (const id of ids) this.#all.leave(id);
    return dropped;
  }

  #admit(workerId: number, entry: DirectoryEntry): void {
    this.#all.admitNow(entry);
    const ids = this.#byWorker.get(workerId) ?? new Set<string>();
    this.#byWorker.set(workerId, ids);
    ids.add(entry.subscriber);
  }

  #leave(workerId: number, subscriber: string): void {
    this.#byWorker.get(workerId)?.delete(subscriber);
    this.#all.leave(subscriber);
  }
}

/** A worker's view of the primary's directory. */
export class IpcDirectory implements SubscriberDirectory {
  readonly #peer: RpcPeer;

  constructor(peer: RpcPeer) {
    this.#peer = peer;
  }

  admit(entry: DirectoryEntry): Promise<void> {
    return this.#peer.call('admit', plainEntry(entry));
  }

  leave(subscriber: string): void {
    this.#peer.note('leave', subscriber);
  }

  list(): Promise<readonly DirectoryEntry[]> {
    return this.#peer.call('list');
  }

  count(): Promise<number> {
    return this.#peer.call('count');
  }

  async close(): Promise<void> {}
}
