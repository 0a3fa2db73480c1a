/**
 * Who is subscribed to the whole hub: the places under the hub-wide subscriber limits, and the list
 * the subscriptions API answers with. One process keeps it in memory ({@link LocalDirectory});
 * worker processes and nodes sharing Redis plug in a directory that spans them.
 */
import { HubFullError } from './errors.ts';
import type { HubLimits } from './limits.ts';
import type { SubscriptionInfo } from './subscription-events.ts';

/**
 * How long a directory spanning nodes (presence on Redis) lists a node's subscribers after its last
 * heartbeat, by default.
 */
export const DEFAULT_PRESENCE_TTL_MS = 15_000;

/**
 * One subscriber, as every process of the hub may list it. In its own process an entry may be the
 * live subscriber, whose fields are getters; a directory that sends it to another process or to
 * Redis sends {@link plainEntry} of it.
 */
export interface DirectoryEntry {
  /** The subscriber's IRI, unique across the hub. */
  readonly subscriber: string;
  /** The client address, for the per-address limit. */
  readonly address: string;
  /** One per selector, each active. */
  readonly subscriptions: readonly SubscriptionInfo[];
}

/** An entry as plain data, fit for structured clone and JSON. */
export function plainEntry(entry: DirectoryEntry): DirectoryEntry {
  return { subscriber: entry.subscriber, address: entry.address, subscriptions: entry.subscriptions };
}

/** The limits a directory enforces. */
export type DirectoryLimits = Pick<HubLimits, 'maxSubscribers' | 'maxSubscribersPerAddress'>;

/** The subscribers of the whole hub. */
export interface SubscriberDirectory {
  /**
   * Takes a place for a subscriber under the hub-wide limits.
   * @throws {HubFullError} naming the setting that refuses it; nothing is taken then.
   */
  admit(entry: DirectoryEntry): Promise<void>;
  /** Gives a subscriber's place back; a subscriber not admitted (or already gone) is ignored. */
  leave(subscriber: string): void;
  /** Every subscriber of the hub now. */
  list(): Promise<readonly DirectoryEntry[]>;
  /** How many subscribers the hub holds now. */
  count(): Promise<number>;
  /** Releases what the directory holds (timers, connections). */
  close(): Promise<void>;
}

/** The subscribers of one process, with the limits checked against them. */
export class LocalDirectory implements SubscriberDirectory {
  readonly #entries = new Map<string, DirectoryEntry>();
  readonly #perAddress = new Map<string, number>();
  readonly #limits: DirectoryLimits;

  constructor(limits: DirectoryLimits) {
    this.#limits = limits;
  }

  /** The synchronous core of {@link admit}, for directories that wrap this one. */
  admitNow(entry: DirectoryEntry): void {
    const { maxSubscribers, maxSubscribersPerAddress } = this.#limits;
    if (this.#entries.size >= maxSubscribers) {
      throw new HubFullError(`the hub has ${maxSubscribers} subscribers (setting maxSubscribers)`);
    }
    const fromAddress = this.#perAddress.get(entry.address) ?? 0;
    if (fromAddress >= maxSubscribersPerAddress) {
      throw new HubFullError(
        `${entry.address} has ${maxSubscribersPerAddress} subscriptions open (setting maxSubscribersPerAddress)`,
      );
    }
    this.#entries.set(entry.subscriber, entry);
    this.#perAddress.set(entry.address, fromAddress + 1);
  }

  async admit(entry: DirectoryEntry): Promise<void> {
    this.admitNow(entry);
  }

  leave(subscriber: string): void {
    const entry = this.#entries.get(subscriber);
    if (entry === undefined) return;
    this.#entries.delete(subscriber);
    const left = (this.#perAddress.get(entry.address) ?? 1) - 1;
    if (left > 0) this.#perAddress.set(entry.address, left);
    else this.#perAddress.delete(entry.address);
  }

  /** The entries, synchronously. */
  entries(): DirectoryEntry[] {
    return [...this.#entries.values()];
  }

  get size(): number {
    return this.#entries.size;
  }

  async list(): Promise<readonly DirectoryEntry[]> {
    return this.entries();
  }

  async count(): Promise<number> {
    return this.#entries.size;
  }

  async close(): Promise<void> {}
}
