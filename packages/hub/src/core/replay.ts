/**
 * Sends a subscriber the history it missed, page by page, at the pace the client reads.
 */
import { type ReplayPacing, replayPaged } from '@spout/server';
import { mayReceive } from '../auth/index.ts';
import type { StoredUpdate, UpdateStore } from '../store/types.ts';
import { anyTopicMatches } from '../topics/index.ts';
import { encodeUpdate } from './encode.ts';
import type { Subscriber } from './subscriber.ts';

/** How replay reads and paces itself (`stallMs` past which {@link ReplayStalledError}). */
export type ReplayOptions = ReplayPacing;

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

/**
 * Replays every kept update after `start.after` that matches the subscriber's selectors and
 * claims, oldest first, through @spout/server's paged replay (the one a Channel's replay uses);
 * returns how many were sent. Stops early when the stream closes. Reads until the store has
 * nothing newer, so that updates published meanwhile are either replayed or held by the
 * subscriber, never lost.
 *
 * [policy] replay keeps at most `highWaterBytes` unsent for a subscriber, as live delivery keeps
 * at most the queue cap: past it, replay waits on the stream's drain signal, then reads on from
 * the store. A client that reads nothing for `stallMs` is a slow consumer
 * ({@link ReplayStalledError}): the caller disconnects it, and it resumes by Last-Event-ID.
 */
export async function replayAfter(
  store: UpdateStore,
  subscriber: Subscriber,
  start: Pick<ReplayStart, 'after' | 'firstPage'>,
  options: ReplayOptions,
): Promise<number> {
  const stream = subscriber.stream;
  if (stream === undefined) return 0;
  const { end, sent } = await replayPaged(
    stream,
    {
      readPage: (after, limit) => store.readAfter(after, limit),
      positionOf: (update) => update.position,
      bytesOf: (update) =>
        // [spec] private updates from history obey the same rule as live ones
        anyTopicMatches(subscriber.selectors, update.topics) && mayReceive(subscriber.claims, update)
          ? encodeUpdate(update)
          : undefined,
      send: (update, bytes) => subscriber.replayed(update.position, bytes),
    },
    start,
    options,
  );
  if (end === 'stalled') throw new ReplayStalledError(options.stallMs);
  return sent;
}
