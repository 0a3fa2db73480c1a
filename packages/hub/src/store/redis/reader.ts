import { StoreError, WatchGapError } from '../errors.ts';
import type { StoredUpdate } from '../types.ts';
import { toError } from '../watchers.ts';
import type { RedisClient } from './connection.ts';
import { decodeEntry, entryPosition, readReplyEntries } from './entries.ts';

/** What the stream reader needs. */
export interface StreamReaderOptions {
  /** A connection used for nothing else: XREAD BLOCK holds it. */
  connection: RedisClient;
  stream: string;
  /** Deliver updates after this position. */
  after: number;
  /** Entries per XREAD: bounds what is held in memory between reads. */
  batchSize: number;
  /** How long one XREAD blocks; also the delay before a stop is noticed at worst (close disconnects at once). */
  blockMs: number;
  deliver: (update: StoredUpdate) => void;
  /** A gap (WatchGapError) for watchers. */
  gap: (error: WatchGapError) => void;
  /** A read failure (the loop retries from where it was); reported once until a read succeeds again. */
  fail: (error: Error) => void;
}

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 2000;

/**
 * The bus side of the Redis store: a blocking XREAD loop delivering every entry after
 * `after`, in position order. After a failure it reads again from the last delivered
 * position, so a reconnect loses nothing unless retention trimmed it meanwhile (a gap).
 */
export class StreamReader {
  readonly #options: StreamReaderOptions;
  #last: number;
  #stopped = false;
  readonly done: Promise<void>;

  constructor(options: StreamReaderOptions) {
    this.#options = options;
    this.#last = options.after;
    this.done = this.#run();
  }

  stop(): void {
    this.#stopped = true;
  }

  async #run(): Promise<void> {
    const { connection, stream, batchSize, blockMs } = this.#options;
    let retryMs = RETRY_MIN_MS;
    let failing = false;
    while (!this.#stopped) {
      try {
        const reply = await connection.call(
          'XREAD',
          'COUNT',
          batchSize,
          'BLOCK',
          blockMs,
          'STREAMS',
          stream,
          `${this.#last}-0`,
        );
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
    this.#options.deliver(update);
  }
}
