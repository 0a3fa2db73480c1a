/**
 * Sending a reader its history page by page, at the pace it reads: what a replay of any size
 * does so that it never holds more than a page in memory nor queues past a high-water mark.
 */
import type { MaybePromise } from '../history/history-store.ts';
import { type DrainingStream, waitForRoom } from '../session/wait-for-room.ts';

/** What a replay writes to: a Session satisfies it. */
export interface ReplayStream extends DrainingStream {
  /** Bytes written but not yet taken by the client. */
  readonly bufferedBytes: number;
}

/** Where a replay reads its items, and what it does with each. */
export interface ReplaySource<T> {
  /** Up to `limit` items after `position`, oldest first (fewer only when history ends there). */
  readPage(after: number, limit: number): MaybePromise<readonly T[]>;
  /** An item's position: they only grow, page after page. */
  positionOf(item: T): number;
  /** The bytes to send for an item; undefined skips it (not for this reader). */
  bytesOf(item: T): Uint8Array | undefined;
  /** Writes an item's bytes; true when it counts as sent (false: a repeat, or the stream closed). */
  send(item: T, bytes: Uint8Array): boolean;
  /** Checked before each item: false stops the replay (the reader left). Default: always wanted. */
  wanted?(): boolean;
}

/** How a replay reads and paces itself. */
export interface ReplayPacing {
  /** Items read at once. */
  readonly pageSize: number;
  /** The replay waits for the client to read rather than leave more unsent bytes than this. */
  readonly highWaterBytes: number;
  /** How long the replay waits for the client to take anything; past it, the replay ends `'stalled'`. */
  readonly stallMs: number;
}

/** Where a replay starts: after `after`, with the first page when it was read already. */
export interface ReplayFrom<T> {
  readonly after: number;
  readonly firstPage?: readonly T[] | undefined;
}

/**
 * How a replay ended: `'done'` once history has nothing newer; `'stopped'` when the stream
 * closed or the reader was no longer wanted; `'stalled'` when the client took nothing for
 * `stallMs` (a slow consumer: the caller closes it).
 */
export interface ReplayOutcome {
  readonly end: 'done' | 'stopped' | 'stalled';
  /** Items sent (those `send` counted). */
  readonly sent: number;
}

const NOTHING: readonly never[] = [];

/**
 * Replays every item after `from.after` that `bytesOf` keeps, oldest first. Reads until a page
 * comes back short, so that items stored meanwhile are either replayed or held by the caller's
 * {@link CatchUp}, never lost.
 *
 * [policy] At most `highWaterBytes` are left unsent for the reader (one item alone in an empty
 * buffer always goes out, whatever its size). Past the mark the replay drops the page it holds and
 * waits on the stream's drain signal ({@link waitForRoom}), then reads on after the last item sent,
 * in a page sized by what the client took, so that a slow reader does not make it read and drop
 * whole pages over and over. A client that takes nothing for `stallMs` is a slow consumer.
 */
export async function replayPaged<T>(
  stream: ReplayStream,
  source: ReplaySource<T>,
  from: ReplayFrom<T>,
  pacing: ReplayPacing,
): Promise<ReplayOutcome> {
  let position = from.after;
  let pageSize = pacing.pageSize;
  let page = from.firstPage ?? (await source.readPage(position, pageSize));
  let sent = 0;
  for (;;) {
    let full = false;
    let taken = 0;
    for (const item of page) {
      if (!stream.isOpen || source.wanted?.() === false) return { end: 'stopped', sent };
      const bytes = source.bytesOf(item);
      if (bytes !== undefined && wouldPass(stream, bytes.byteLength, pacing.highWaterBytes)) {
        full = true;
        break;
      }
      position = source.positionOf(item);
      if (bytes === undefined) continue;
      taken++;
      if (source.send(item, bytes)) sent++;
    }
    if (full) {
      page = NOTHING;
      pageSize = Math.max(1, Math.min(pacing.pageSize, taken * 2));
      if (!(await waitForReader(stream, pacing.stallMs))) return { end: 'stalled', sent };
    } else if (page.length < pageSize) return { end: 'done', sent };
    else pageSize = Math.min(pacing.pageSize, pageSize * 2);
    page = await source.readPage(position, pageSize);
  }
}

/** True when queueing `size` bytes behind what the stream buffers would take it past `limit`. */
function wouldPass(stream: ReplayStream, size: number, limit: number): boolean {
  const buffered = stream.bufferedBytes;
  return buffered > 0 && buffered + size > limit;
}

/** Resolves true once the client has taken some of what it was sent; false after `stallMs` without that. */
function waitForReader(stream: ReplayStream, stallMs: number): Promise<boolean> {
  const buffered = stream.bufferedBytes;
  // The drain signal, then a recheck while the transport holds more than the mark without reporting itself full.
  return waitForRoom(stream, () => stream.bufferedBytes >= buffered, stallMs);
}
