import { HistoryRewoundError, StoreError, WatchGapError } from '../errors.ts';
import type { StoredUpdate } from '../types.ts';
import { toError } from '../watchers.ts';
import type { RedisClient } from './connection.ts';
import { decodeEntry, entryId, entryPosition, readReplyEntries } from './entries.ts';
import { isPrimaryRole, leaveReplica } from './primary-check.ts';

/** What the stream reader needs. */
export interface StreamReaderOptions {
  /** A connection used for nothing else: XREAD BLOCK holds it. */
  connection: RedisClient;
  /** The position counter's key. */
  counter: string;
  stream: string;
  /** Deliver updates after this position. */
  after: number;
  /** Entries per XREAD: bounds what is held in memory between reads. */
  batchSize: number;
  /** How long one XREAD blocks; also the delay before a stop is noticed at worst (close disconnects at once). */
  blockMs: number;
  deliver: (update: StoredUpdate) => void;
  /** A gap (WatchGapError) or a rewind (HistoryRewoundError) for watchers. */
  gap: (error: WatchGapError | HistoryRewoundError) => void;
  /** A read failure (the loop retries from where it was); reported once until a read succeeds again. */
  fail: (error: Error) => void;
  /**
   * Confirm with each read that the server is the primary, and reconnect when it is not (Sentinel:
   * see primary-check.ts). Default false.
   */
  primaryOnly?: boolean | undefined;
}

const RETRY_MIN_MS = 50;
/** Delivered positions and ids remembered (at least this many) to find where a rewound history still agrees. */
const RECENT = 1024;
const RETRY_MAX_MS = 2000;

/**
 * The bus side of the Redis store: a blocking XREAD loop delivering every entry after
 * `after`, in position order. After a failure it reads again from the last delivered
 * position, so a reconnect loses nothing unless retention trimmed it meanwhile (a gap).
 * After a reconnect it first checks that what it delivered last is still in the stream: a
 * failover to a replica that lacked the newest entries gives their positions to new updates,
 * which reading on from the last position would skip (see {@link HistoryRewoundError}).
 */
export class StreamReader {
  readonly #options: StreamReaderOptions;
  #last: number;
  #stopped = false;
  /** The last RECENT deliveries, oldest first. */
  readonly #recent: { position: number; id: string }[] = [];
  #reconnected = false;
  /** Ids of deliveries a rewind took back, with the position delivery went back to (at most RECENT). */
  readonly #rewound = new Map<string, number>();
  readonly done: Promise<void>;

  constructor(options: StreamReaderOptions) {
    this.#options = options;
    this.#last = options.after;
    // The connection is ready already: only later reconnects (maybe to a new primary) count.
    options.connection.on('ready', () => {
      this.#reconnected = true;
    });
    this.done = this.#run();
  }

  /**
   * Where a subscriber whose last event was `id` resumes when a rewind took that update back: after
   * the newest delivery that still held. Undefined for any other id.
   */
  rewoundPosition(id: string): number | undefined {
    return this.#rewound.get(id);
  }

  stop(): void {
    this.#stopped = true;
  }

  async #run(): Promise<void> {
    let retryMs = RETRY_MIN_MS;
    let failing = false;
    while (!this.#stopped) {
      try {
        if (this.#reconnected) {
          await this.#checkHistory();
          this.#reconnected = false;
        }
        const reply = await this.#read();
        if (this.#stopped) return;
        for (const entry of readReplyEntries(reply)) this.#decodeAndDeliver(entry);
        retryMs = RETRY_MIN_MS;
        failing = false;
      } catch (error) {
        if (this.#stopped) return;
        if (!failing) this.#options.fail(toError(error));
        failing = true;
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
      }
    }
  }

  /** The next entries after the last delivered one, waiting up to blockMs for some. */
  async #read(): Promise<unknown> {
    const { connection, stream, batchSize, blockMs } = this.#options;
    const xread = [
      'XREAD',
      'COUNT',
      batchSize,
      'BLOCK',
      blockMs,
      'STREAMS',
      stream,
      `${this.#last}-0`,
    ] as const;
    if (!this.#options.primaryOnly) return connection.call(...xread);
    // ROLE in the same write as XREAD: the check costs no round trip.
    const [role, read] =
      (await connection
        .pipeline()
        .call('ROLE')
        .call(...xread)
        .exec()) ?? [];
    if (role?.[0]) throw role[0];
    if (!isPrimaryRole(role?.[1])) throw leaveReplica(connection);
    if (read?.[0]) throw read[0];
    return read?.[1];
  }

  /** An entry that does not decode (written by something else than this store) is reported and skipped, not retried forever. */
  #decodeAndDeliver(entry: unknown): void {
    let update: StoredUpdate;
    try {
      update = decodeEntry(entry);
    } catch (error) {
      const position = entryPosition(entry);
      if (Number.isNaN(position)) throw error;
      this.#last = Math.max(this.#last, position);
      this.#options.fail(
        new StoreError('CORRUPT_ENTRY', `skipped stream entry ${position}: ${toError(error).message}`, {
          cause: error,
        }),
      );
      return;
    }
    this.#deliver(update);
  }

  #deliver(update: StoredUpdate): void {
    if (update.position <= this.#last) return;
    if (update.position > this.#last + 1)
      this.#options.gap(new WatchGapError(this.#last + 1, update.position - 1));
    this.#last = update.position;
    this.#recent.push({ position: update.position, id: update.id });
    // Trimmed in bulk, not one entry per delivery.
    if (this.#recent.length >= 2 * RECENT) this.#recent.splice(0, RECENT);
    this.#options.deliver(update);
  }

  /**
   * Compares the recent deliveries with the stream. When the counter is below the last one, or the stream
   * holds another id at one of their positions, delivery goes back to the newest one that still
   * matches. Entries merely trimmed by retention are absent, not different: no rewind for them.
   */
  async #checkHistory(): Promise<void> {
    const recent = this.#recent;
    if (recent.length === 0) return;
    const { connection, stream } = this.#options;
    const [range, latest] = await Promise.all([
      connection.call('XRANGE', stream, `${recent[0]!.position}-0`, `${this.#last}-0`),
      connection.call('GET', this.#options.counter),
    ]);
    const idAt = new Map<number, string>();
    for (const entry of range as unknown[]) idAt.set(entryPosition(entry), entryId(entry));
    const changed = recent.some(({ position, id }) => (idAt.get(position) ?? id) !== id);
    // The counter never goes back, retention or not, but on a primary that lacks updates.
    if (!changed && Number(latest ?? 0) >= this.#last) return;
    let index = recent.length - 1;
    while (index >= 0 && idAt.get(recent[index]!.position) !== recent[index]!.id) index--;
    const kept = recent[index];
    const through = this.#last;
    this.#last = kept?.position ?? recent[0]!.position - 1;
    for (const { id } of recent.splice(index + 1)) this.#rewound.set(id, this.#last);
    for (const id of this.#rewound.keys()) {
      if (this.#rewound.size <= RECENT) break;
      this.#rewound.delete(id);
    }
    this.#options.gap(new HistoryRewoundError(this.#last, kept?.id, through));
  }
}
