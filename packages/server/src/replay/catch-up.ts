/**
 * The order keeper of replay-then-live: what a reader registered for live items before its
 * history was read does with the live items that arrive while the history is sent.
 */

/** A live item as held during a replay: its place in the stream, and its encoded bytes. */
export interface Positioned {
  /** Where the item stands in the stream: positions only grow, and every reader sees the same ones. */
  readonly position: number;
  /** The encoded item, ready to write. */
  readonly bytes: Uint8Array;
}

/** Bounds on the live items held for one reader while its history is sent. */
export interface HoldLimits {
  /** Most bytes held. Default: no limit. */
  readonly maxBytes?: number | undefined;
  /** Most items held. Default: no limit. */
  readonly maxItems?: number | undefined;
}

/**
 * Replay-then-live for one reader, by position: no gap, no duplicate.
 *
 * Register the reader for live items first, then read its history. Meanwhile live items are
 * {@link CatchUp.hold | held}. Each item sent from history is {@link CatchUp.admit | admitted}
 * (a repeat is refused). {@link CatchUp.goLive} then hands back the held items newer than the
 * last one sent, and from then on each live item is admitted as it comes.
 *
 * [policy] The held items are bounded (see {@link HoldLimits}): an item past a bound drops them
 * all and marks the catch-up {@link CatchUp.overflowed}. The caller then closes the reader as a
 * slow consumer; its client reconnects with the last id it received and resumes from history.
 */
export class CatchUp<Item extends Positioned = Positioned> {
  #held: Item[] | undefined = [];
  #heldBytes = 0;
  #lastPosition = 0;
  #overflowed = false;
  readonly #maxBytes: number;
  readonly #maxItems: number;

  constructor(limits: HoldLimits = {}) {
    this.#maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#maxItems = limits.maxItems ?? Number.POSITIVE_INFINITY;
  }

  /** True until {@link CatchUp.goLive}: live items are held. */
  get replaying(): boolean {
    return this.#held !== undefined;
  }

  /** True once the held items passed a bound: the reader must be closed as a slow consumer. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Position of the last item sent (0 before any). */
  get lastPosition(): number {
    return this.#lastPosition;
  }

  /** The live items held now, oldest first (empty once live). */
  get held(): readonly Item[] {
    return this.#held ?? [];
  }

  /**
   * Holds a live item while replaying.
   * @returns false when it took the held items past a bound (they are dropped: see
   *   {@link CatchUp.overflowed}) or the catch-up is already live or overflowed.
   */
  hold(item: Item): boolean {
    const held = this.#held;
    if (held === undefined || this.#overflowed) return false;
    this.#heldBytes += item.bytes.byteLength;
    if (this.#heldBytes > this.#maxBytes || held.length + 1 > this.#maxItems) {
      this.#overflowed = true;
      this.#held = [];
      this.#heldBytes = 0;
      return false;
    }
    held.push(item);
    return true;
  }

  /**
   * Admits `position` as the next one sent when it is newer than every one sent so far.
   * @returns true when the item must be written; false for a repeat (already sent).
   */
  admit(position: number): boolean {
    // [invariant] replay then live: positions only grow, so nothing is sent twice.
    if (position <= this.#lastPosition) return false;
    this.#lastPosition = position;
    return true;
  }

  /**
   * The reader already has everything up to `position` (its last event id): nothing at or before it
   * is sent, not even a live item that reaches the reader after the replay read past it (an append on
   * its way out, or the feed of another process lagging behind the store).
   */
  resumeAfter(position: number): void {
    // As if sent: the reader has it.
    this.admit(position);
  }

  /**
   * Takes the held items newer than the last one sent, oldest first, counting them as sent;
   * live items that come after are held again (for a caller that writes what was held in
   * batches before going live).
   */
  takeHeld(): Item[] {
    const held = this.#held;
    if (held === undefined || held.length === 0) return [];
    this.#held = [];
    this.#heldBytes = 0;
    return held.filter((item) => this.admit(item.position));
  }

  /** Ends the replay: returns the held items newer than the last one sent, oldest first, counted as sent. */
  goLive(): Item[] {
    const newer = this.takeHeld();
    this.#held = undefined;
    return newer;
  }
}
