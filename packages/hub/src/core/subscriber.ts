/**
 * One connected subscriber: its selectors, its claims, and the hand-over from
 * replayed history to live updates.
 */
import type { EventFields } from '@spout/protocol';
import type { MercureClaims } from '../auth/index.ts';
import type { StoredUpdate } from '../store/types.ts';
import type { Subscribed, TopicSelector } from '../topics/index.ts';
import { subscriberId } from './ids.ts';

/** The response a subscriber reads from: an `@spout/server` Session satisfies it. */
export interface EventStream {
  sendBytes(bytes: Uint8Array): boolean;
  /**
   * Writes bytes shared with other subscribers: straight to the socket when nothing waits (as a
   * Channel does); false when the stream is closed, or this write took it over its cap and closed it.
   */
  writeShared(bytes: Uint8Array): boolean;
  close(finalEvent?: EventFields): void;
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
export class Subscriber implements Subscribed {
  #id: string | undefined;
  readonly selectors: readonly TopicSelector[];
  readonly claims: MercureClaims;
  readonly address: string;
  #stream: EventStream | undefined;
  #pending: { position: number; bytes: Uint8Array }[] | undefined = [];
  #pendingBytes = 0;
  readonly #maxPendingBytes: number;
  #lastPosition = 0;
  #overflowed = false;

  constructor(init: SubscriberInit) {
    this.#id = init.id;
    this.selectors = init.selectors;
    this.claims = init.claims;
    this.address = init.address;
    this.#maxPendingBytes = init.maxPendingBytes;
  }

  /** The subscriber's IRI in subscription events and the API, made on first use. */
  get id(): string {
    this.#id ??= subscriberId();
    return this.#id;
  }

  /** Position of the last update sent to this subscriber (0 before any). */
  get lastPosition(): number {
    return this.#lastPosition;
  }

  /** True while history is still being replayed (live updates are held). */
  get replaying(): boolean {
    return this.#pending !== undefined;
  }

  /** True when live updates held during replay passed the cap: the subscriber must be closed. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** The stream, once the response has started. */
  get stream(): EventStream | undefined {
    return this.#stream;
  }

  /**
   * The client already has everything up to `position` (its Last-Event-ID): nothing at or before it is
   * sent, even a live update that reaches this process after the replay read past it (the feed of
   * another process or node may lag behind the store).
   */
  resumeAfter(position: number): void {
    if (position > this.#lastPosition) this.#lastPosition = position;
  }

  attach(stream: EventStream): void {
    this.#stream = stream;
  }

  /** A live update for this subscriber (already matched and authorized). */
  deliver(update: StoredUpdate, bytes: Uint8Array): boolean {
    if (this.#pending !== undefined) {
      this.#pendingBytes += bytes.length;
      if (this.#pendingBytes > this.#maxPendingBytes) {
        this.#overflowed = true;
        this.#pending = [];
        return false;
      }
      this.#pending.push({ position: update.position, bytes });
      return true;
    }
    return this.#send(update.position, bytes);
  }

  /**
   * Several live updates at once, with their concatenation `bytes` (possibly shared with
   * other subscribers): one write when nothing of it was sent before, else one by one.
   */
  deliverBatch(updates: readonly StoredUpdate[], parts: readonly Uint8Array[], bytes: Uint8Array): void {
    const stream = this.#stream;
    if (this.#pending !== undefined || stream === undefined || updates[0]!.position <= this.#lastPosition) {
      for (const [i, update] of updates.entries()) this.deliver(update, parts[i]!);
      return;
    }
    this.#lastPosition = updates[updates.length - 1]!.position;
    stream.writeShared(bytes);
  }

  /** An update from history, in position order (queued: a replay's writes are coalesced per turn). */
  replayed(position: number, bytes: Uint8Array): boolean {
    if (position <= this.#lastPosition || this.#stream === undefined) return false;
    this.#lastPosition = position;
    return this.#stream.sendBytes(bytes);
  }

  /** Ends the replay: held updates newer than the last replayed one go out, then live ones. */
  goLive(): void {
    const pending = this.#pending ?? [];
    this.#pending = undefined;
    this.#pendingBytes = 0;
    for (const held of pending) this.#send(held.position, held.bytes);
  }

  #send(position: number, bytes: Uint8Array): boolean {
    // [invariant] replay then live: positions only grow, so nothing is sent twice.
    if (position <= this.#lastPosition || this.#stream === undefined) return false;
    this.#lastPosition = position;
    return this.#stream.writeShared(bytes);
  }
}
