/**
 * One connected subscriber: its selectors, its claims, and the hand-over from
 * replayed history to live updates.
 */
import type { EventFields } from '@spout/protocol';
import { CatchUp, goLive, type Positioned } from '@spout/server';
import type { MercureClaims } from '../auth/index.ts';
import type { StoredUpdate } from '../store/types.ts';
import type { Subscribed, TopicSelector } from '../topics/index.ts';
import type { DirectoryEntry } from './directory.ts';
import { subscriberId } from './ids.ts';
import { type SubscriptionInfo, subscriptionInfo } from './subscription-events.ts';

/** The response a subscriber reads from: an `@spout/server` Session satisfies it. */
export interface EventStream {
  sendBytes(bytes: Uint8Array): boolean;
  /**
   * Writes bytes shared with other subscribers: straight to the socket when nothing waits (as a
   * Channel does); false when the stream is closed, or this write took it over its cap and closed it.
   */
  writeShared(bytes: Uint8Array): boolean;
  close(finalEvent?: EventFields): void;
  /** Ends the stream at once, aborting the response: a client that stopped reading (a Session's `abort`). */
  abort(reason: 'overflow'): void;
  onClose(listener: (reason: string) => void): void;
  /** The drain signal: resolves once the client has taken what was written (or the stream ended). */
  whenWritable(): Promise<void>;
  readonly bufferedBytes: number;
  readonly isOpen: boolean;
}

/** Why a subscriber was disconnected, as counted by the metrics. */
export type DisconnectCause = 'client' | 'overflow' | 'expired' | 'shutdown' | 'gap' | 'error' | 'server';

/** What a subscriber is made of. */
export interface SubscriberInit {
  /** Default: a random `urn:uuid:`, made when first read. */
  id?: string | undefined;
  selectors: readonly TopicSelector[];
  claims: MercureClaims;
  address: string;
  /** Most bytes of live updates held while history is replayed. */
  maxPendingBytes: number;
}

/**
 * A subscriber starts by buffering live updates. Once its history has been sent
 * (`replayed` for each, then `goLive`), the buffered updates newer than the last
 * replayed one follow, then live updates as they come: no gap, no duplicate.
 */
export class Subscriber implements Subscribed, DirectoryEntry {
  #id: string | undefined;
  readonly selectors: readonly TopicSelector[];
  readonly claims: MercureClaims;
  readonly address: string;
  #stream: EventStream | undefined;
  /** Replay then live by position, shared with @spout/server's Channel. */
  readonly #catchUp: CatchUp<Positioned>;

  constructor(init: SubscriberInit) {
    this.#id = init.id;
    this.selectors = init.selectors;
    this.claims = init.claims;
    this.address = init.address;
    this.#catchUp = new CatchUp({ maxBytes: init.maxPendingBytes });
  }

  /** The subscriber's IRI in subscription events and the API, made on first use. */
  get id(): string {
    this.#id ??= subscriberId();
    return this.#id;
  }

  /** Its IRI, as the hub's directory lists it. */
  get subscriber(): string {
    return this.id;
  }

  /** One active subscription per selector, as the directory lists them (made when read). */
  get subscriptions(): SubscriptionInfo[] {
    return this.selectors.map((selector) => subscriptionInfo(this, selector, true));
  }

  /** Position of the last update sent to this subscriber (0 before any). */
  get lastPosition(): number {
    return this.#catchUp.lastPosition;
  }

  /** True while history is still being replayed (live updates are held). */
  get replaying(): boolean {
    return this.#catchUp.replaying;
  }

  /** True when live updates held during replay passed the cap: the subscriber must be closed. */
  get overflowed(): boolean {
    return this.#catchUp.overflowed;
  }

  /** The stream, once the response has started. */
  get stream(): EventStream | undefined {
    return this.#stream;
  }

  /**
   * The client already has everything up to `position` (its Last-Event-ID): see
   * {@link CatchUp.resumeAfter} (the feed of another process or node may lag behind the store).
   */
  resumeAfter(position: number): void {
    this.#catchUp.resumeAfter(position);
  }

  attach(stream: EventStream): void {
    this.#stream = stream;
  }

  /** A live update for this subscriber (already matched and authorized). */
  deliver(update: StoredUpdate, bytes: Uint8Array): boolean {
    // Past the cap the held updates are dropped and `overflowed` says the subscriber must be closed.
    if (this.#catchUp.replaying) return this.#catchUp.hold({ position: update.position, bytes });
    return this.#send(update.position, bytes);
  }

  /**
   * Several live updates at once, with their concatenation `bytes` (possibly shared with
   * other subscribers): one write when nothing of it was sent before, else one by one.
   */
  deliverBatch(updates: readonly StoredUpdate[], parts: readonly Uint8Array[], bytes: Uint8Array): void {
    const stream = this.#stream;
    const catchUp = this.#catchUp;
    if (catchUp.replaying || stream === undefined || updates[0]!.position <= catchUp.lastPosition) {
      for (const [i, update] of updates.entries()) this.deliver(update, parts[i]!);
      return;
    }
    catchUp.admit(updates[updates.length - 1]!.position);
    stream.writeShared(bytes);
  }

  /** An update from history, in position order (queued: a replay's writes are coalesced per turn). */
  replayed(position: number, bytes: Uint8Array): boolean {
    if (this.#stream === undefined || !this.#catchUp.admit(position)) return false;
    return this.#stream.sendBytes(bytes);
  }

  /**
   * Ends the replay through @spout/server's shared last step (the one a Channel uses): held updates
   * newer than the last replayed one go out, shared bytes as they are, then live ones.
   * @returns false when the updates held during replay passed the cap: the caller closes the
   *   subscriber as a slow consumer.
   */
  goLive(): boolean {
    const stream = this.#stream;
    return goLive(this.#catchUp, (bytes) => stream?.writeShared(bytes));
  }

  #send(position: number, bytes: Uint8Array): boolean {
    if (this.#stream === undefined || !this.#catchUp.admit(position)) return false;
    return this.#stream.writeShared(bytes);
  }
}
