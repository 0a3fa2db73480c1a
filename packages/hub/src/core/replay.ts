/**
 * Sends a subscriber the history it missed, page by page, at the pace the client reads.
 */
import { waitForRoom } from '@spout/server';
import { mayReceive } from '../auth/index.ts';
import type { StoredUpdate, UpdateStore } from '../store/types.ts';
import { anyTopicMatches } from '../topics/index.ts';
import { encodeUpdate } from './encode.ts';
import type { EventStream, Subscriber } from './subscriber.ts';

/** How replay reads and paces itself. */
export interface ReplayOptions {
  /** Updates read from the store at once. */
  pageSize: number;
  /** Replay waits for the client to read rather than hold more unsent bytes than this (half the queue cap). */
  highWaterBytes: number;
  /** How long replay waits for the client to read; past it, {@link ReplayStalledError}. */
  stallMs: number;
}

/** Where a replay starts: after `after`, with the first page already read. */
export interface ReplayStart {
  after: number;
  /** The Last-Event-ID response header that says where the replay starts. */
  header: string;
  /** The first page, read before the response starts so that a store failure can still answer 503. */
  firstPage: StoredUpdate[];
}

/** The subscriber read nothing for `stallMs` while history was waiting for it: a slow consumer. */
export class ReplayStalledError extends Error {
  constructor(stallMs: number) {
    super(`the subscriber read nothing for ${stallMs} ms during replay (setting replayStallTimeout)`);
    this.name = 'ReplayStalledError';
  }
}

const NOTHING: StoredUpdate[] = [];

/** What an unknown Last-Event-ID replays: everything kept (`replay`) or nothing (`none`, as the Go hub). */
export type UnknownIdPolicy = 'replay' | 'none';

/** Where history ends: the newest stored update's position and id; 0 and `earliest` when empty. */
async function newest(store: UpdateStore): Promise<{ position: number; id: string }> {
  const latest = await store.latestPosition();
  const [last] = latest > 0 ? await store.readAfter(latest - 1, 1) : NOTHING;
  return last === undefined ? { position: 0, id: 'earliest' } : { position: last.position, id: last.id };
}

/**
 * Locates `lastEventId` and reads the first page after it.
 * [spec] the Last-Event-ID response header is the id of the event preceding the first one
 * sent, or `earliest` when there is none: history empty, `earliest` asked, or an unknown id.
 * An unknown id (never seen, or trimmed) replays all that is kept with `replay`: the client gets what
 * the hub has and, from `earliest`, learns that it may have missed updates. With `none` it replays
 * nothing, and the header names the newest update (the one preceding whatever comes next).
 */
export async function locateReplay(
  store: UpdateStore,
  lastEventId: string,
  pageSize: number,
  unknownId: UnknownIdPolicy = 'replay',
): Promise<ReplayStart> {
  const position = lastEventId === 'earliest' ? undefined : await store.positionOf(lastEventId);
  if (position === undefined && lastEventId !== 'earliest' && unknownId === 'none') {
    const end = await newest(store);
    return { after: end.position, header: end.id, firstPage: NOTHING };
  }
  const after = position ?? 0;
  const header = position === undefined ? 'earliest' : lastEventId;
  return { after, header, firstPage: await store.readAfter(after, pageSize) };
}

/** Resolves once the client has taken some of what it was sent; rejects after `stallMs` without that. */
async function waitForReader(stream: EventStream, stallMs: number): Promise<void> {
  const buffered = stream.bufferedBytes;
  // The same wait as a Channel replay's (@spout/server): the drain signal, then a recheck while the
  // transport holds more than replay's mark without reporting itself full.
  if (!(await waitForRoom(stream, () => stream.bufferedBytes >= buffered, stallMs))) {
    throw new ReplayStalledError(stallMs);
  }
}

/**
 * Replays every kept update after `start.after` that matches the subscriber's selectors and
 * claims, oldest first; returns how many were sent. Stops early when the stream closes. Reads
 * until the store has nothing newer, so that updates published meanwhile are either replayed or
 * held by the subscriber, never lost.
 *
 * [policy] replay keeps at most `highWaterBytes` unsent for a subscriber, as live delivery keeps
 * at most the queue cap: past it, replay drops the page it holds and waits on the stream's drain
 * signal, then reads on from the store. A client that reads nothing for `stallMs` is a slow
 * consumer ({@link ReplayStalledError}): the caller disconnects it, and it resumes by Last-Event-ID.
 */
export async function replayAfter(
  store: UpdateStore,
  subscriber: Subscriber,
  start: Pick<ReplayStart, 'after' | 'firstPage'>,
  options: ReplayOptions,
): Promise<number> {
  let position = start.after;
  let page = start.firstPage;
  let pageSize = options.pageSize;
  let sent = 0;
  for (;;) {
    let full = false;
    let taken = 0;
    for (const update of page) {
      const stream = subscriber.stream;
      if (stream === undefined || !stream.isOpen) return sent;
      // [spec] private updates from history obey the same rule as live ones
      if (!anyTopicMatches(subscriber.selectors, update.topics) || !mayReceive(subscriber.claims, update)) {
        position = update.position;
        continue;
      }
      const bytes = encodeUpdate(update);
      const buffered = stream.bufferedBytes;
      if (buffered > 0 && buffered + bytes.byteLength > options.highWaterBytes) {
        full = true;
        break;
      }
      position = update.position;
      taken++;
      if (subscriber.replayed(update.position, bytes)) sent++;
    }
    if (full) {
      const stream = subscriber.stream!;
      // Nothing of the history is held while waiting: the rest is read again afterwards, in a page
      // sized by what the client took this time, so that a slow reader does not make the hub read
      // (and drop) whole pages over and over.
      page = NOTHING;
      pageSize = Math.max(1, Math.min(options.pageSize, taken * 2));
      await waitForReader(stream, options.stallMs);
    } else if (page.length < pageSize) return sent;
    else pageSize = Math.min(options.pageSize, pageSize * 2);
    page = await store.readAfter(position, pageSize);
  }
}
