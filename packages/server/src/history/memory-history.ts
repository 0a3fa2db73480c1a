import { type EventFields, encodeEventBytes } from '@spout/protocol';
import type { HistoryLimits, HistoryRead, HistoryStore, StoredEvent } from './history-store.ts';

interface Entry extends StoredEvent {
  readonly seq: number;
}

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
  #entries: Entry[] = [];
  #head = 0;
  #bytes = 0;
  #nextSeq = 1;
  readonly #seqById = new Map<string, number>();
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
    const seq = this.#nextSeq;
    const id = fields.id ?? String(seq);
    if (id === '')
      throw new TypeError('A stored event needs a non-empty id: an empty id resets the client instead.');
    if (this.#seqById.has(id))
      throw new TypeError(`Duplicate event id ${JSON.stringify(id)}: history ids must be unique.`);
    const bytes = encodeEventBytes(fields.id === id ? fields : { ...fields, id });
    this.#nextSeq = seq + 1;
    const time = this.#now();
    const entry: Entry = meta === undefined ? { seq, id, bytes, time } : { seq, id, bytes, time, meta };
    this.#entries.push(entry);
    this.#seqById.set(id, seq);
    this.#bytes += bytes.byteLength;
    this.trim(time);
    return entry;
  }

  readAfter(id: string): HistoryRead {
    const seq = this.#seqById.get(id);
    if (seq === undefined) return { found: false };
    const first = this.#entries[this.#head];
    const from = first === undefined ? this.#entries.length : this.#head + (seq - first.seq) + 1;
    return { found: true, events: this.#entries.slice(from) };
  }

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

  #drop(entry: Entry): void {
    this.#head++;
    this.#bytes -= entry.bytes.byteLength;
    this.#seqById.delete(entry.id);
  }
}

function checkLimit(name: string, value: number): number {
  if (!(value >= 0))
    throw new RangeError(`History limit "${name}" must be a number >= 0, got ${String(value)}.`);
  return value;
}
