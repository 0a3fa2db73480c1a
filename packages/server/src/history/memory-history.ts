import { type EventFields, encodeEventBytes } from '@spout/protocol';
import type { HistoryLimits, HistoryRead, HistoryStore, StoredEvent } from './history-store.ts';

/** Defaults of {@link MemoryHistory}: bounded by count, since memory is the cost. */
export const MEMORY_HISTORY_DEFAULTS = { maxEvents: 1000 } as const;

/**
 * An in-memory ring of recent events, bounded by count, age and bytes.
 * Synchronous, so a channel replays and goes live in one step.
 * Lost on restart: use a durable store where that matters.
 *
 * Trimming drops the oldest events, only as many as a limit needs. `maxBytes`
 * never drops the newest event: one larger than `maxBytes` by itself is kept
 * alone (every older event is dropped), so it can still be replayed, and the
 * ids it pushed out read as unknown, which a channel reports to its
 * `onUnknownLastEventId` hook.
 */
export class MemoryHistory implements HistoryStore {
  readonly #limits: Required<HistoryLimits>;
  #entries: StoredEvent[] = [];
  #head = 0;
  #bytes = 0;
  #nextPosition = 1;
  readonly #positionById = new Map<string, number>();
  readonly #now: () => number;

  /**
   * @param limits - bounds; absent ones default to 1,000 events, no age or byte limit.
   * @param now - clock, for tests.
   */
  constructor(limits: HistoryLimits = MEMORY_HISTORY_DEFAULTS, now: () => number = Date.now) {
    this.#limits = {
      maxEvents: checkLimit('maxEvents', limits.maxEvents ?? MEMORY_HISTORY_DEFAULTS.maxEvents),
      maxAge: checkLimit('maxAge', limits.maxAge ?? Number.POSITIVE_INFINITY),
      maxBytes: checkLimit('maxBytes', limits.maxBytes ?? Number.POSITIVE_INFINITY),
    };
    this.#now = now;
  }

  /** Number of events held. */
  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** Encoded bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  append(fields: EventFields, meta?: unknown): StoredEvent {
    const position = this.#nextPosition;
    const id = fields.id ?? String(position);
    if (id === '')
      throw new TypeError('A stored event needs a non-empty id: an empty id resets the client instead.');
    if (this.#positionById.has(id))
      throw new TypeError(`Duplicate event id ${JSON.stringify(id)}: history ids must be unique.`);
    const bytes = encodeEventBytes(fields.id === id ? fields : { ...fields, id });
    this.#nextPosition = position + 1;
    const time = this.#now();
    const entry: StoredEvent =
      meta === undefined ? { id, position, bytes, time } : { id, position, bytes, time, meta };
    this.#entries.push(entry);
    this.#positionById.set(id, position);
    this.#bytes += bytes.byteLength;
    this.trim(time);
    return entry;
  }

  positionOf(id: string): number | undefined {
    return this.#positionById.get(id);
  }

  readPage(after: number, limit: number): readonly StoredEvent[] {
    const from = this.#indexAfter(after);
    return this.#entries.slice(from, from + limit);
  }

  /** Every event stored after `id`, oldest first, or `found: false` when `id` is unknown or trimmed away. */
  readAfter(id: string): HistoryRead {
    const position = this.#positionById.get(id);
    if (position === undefined) return { found: false };
    return { found: true, events: this.#entries.slice(this.#indexAfter(position)) };
  }

  /** Every stored event, oldest first. */
  readAll(): readonly StoredEvent[] {
    return this.#entries.slice(this.#head);
  }

  trim(now: number = this.#now()): void {
    const { maxEvents, maxAge, maxBytes } = this.#limits;
    const oldest = now - maxAge;
    while (this.size > 0) {
      const entry = this.#entries[this.#head]!;
      // [policy] the byte limit never drops the newest event: one larger than maxBytes is kept alone.
      const overBytes = this.#bytes > maxBytes && this.size > 1;
      if (this.size <= maxEvents && !overBytes && entry.time >= oldest) break;
      this.#drop(entry);
    }
    // Compact the ring once the dropped prefix is large, keeping appends O(1) amortized.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Index in the ring of the first kept event whose position is greater than `position`. */
  #indexAfter(position: number): number {
    const first = this.#entries[this.#head];
    // Positions are consecutive in the ring: the index follows from the oldest kept one.
    if (first === undefined) return this.#entries.length;
    return this.#head + Math.max(0, position - first.position + 1);
  }

  #drop(entry: StoredEvent): void {
    this.#head++;
    this.#bytes -= entry.bytes.byteLength;
    this.#positionById.delete(entry.id);
  }
}

function checkLimit(name: string, value: number): number {
  if (!(value >= 0))
    throw new RangeError(`History limit "${name}" must be a number >= 0, got ${String(value)}.`);
  return value;
}
