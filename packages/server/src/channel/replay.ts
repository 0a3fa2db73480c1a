/**
 * What a channel replays to a joining session: where its history starts (the position of its
 * last event id, or the decision of `onUnknownLastEventId`), and the paged read of it that the
 * shared `replayPaged` sends.
 */
import { type EventFields, encodeEventBytes } from '@spout/protocol';
import type { HistoryStore, MaybePromise, StoredEvent } from '../history/history-store.ts';
import type { CatchUp, Positioned } from '../replay/catch-up.ts';
import type { ReplaySource } from '../replay/replay-paged.ts';
import type { EventMap, Session } from '../session/session.ts';

/**
 * What to do for a client whose `Last-Event-ID` the history does not know
 * (never stored, or trimmed away):
 * - `'all'`: replay every stored event (the client may see some twice, but misses none);
 * - `'none'`: replay nothing, go live;
 * - `{ reset: fields }`: send this event (e.g. `{ event: 'reset', data: '' }`) so
 *   the client reloads its state, then go live.
 */
export type UnknownIdDecision = 'all' | 'none' | { reset: EventFields };

/** The hook that decides {@link UnknownIdDecision}; default: always `'all'`. */
export type UnknownIdHook<Events extends EventMap, State> = (
  session: Session<Events, State>,
  lastEventId: string,
) => MaybePromise<UnknownIdDecision>;

/** Decides which stored events a session may see on replay (`ChannelOptions.replayFilter`). */
export type ReplayFilter<Events extends EventMap, State> = (
  event: StoredEvent,
  session: Session<Events, State>,
) => boolean;

/** The event a replay reads after, when there is one: where it checks that history was not trimmed past it. */
type Anchor = Pick<StoredEvent, 'id' | 'position'>;

/** Where a joining session's replay starts. */
export interface ReplayStart {
  /** The event the client had (its last id), or undefined to read from the oldest kept. */
  readonly anchor: Anchor | undefined;
  /** The first page after it; undefined when history is not replayed (`'none'`, a reset). */
  readonly firstPage: readonly StoredEvent[] | undefined;
  /** An event sent before anything else (the hook's `{ reset }`). */
  readonly reset?: EventFields | undefined;
}

/**
 * The history was trimmed past the last event a replay sent while it was being sent: the client
 * reads slower than the history keeps events, and would miss some.
 */
export class HistoryTrimmedError extends Error {
  constructor() {
    super('the history was trimmed past the replay while it was being sent');
    this.name = 'HistoryTrimmedError';
  }
}

const NOTHING: ReplayStart = { anchor: undefined, firstPage: undefined };

/** Applies `fn` now to a plain value, or later to a promised one. */
function then<T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/**
 * Locates what a client that last saw `lastEventId` missed and reads its first page, consulting
 * `onUnknown` when the id is not in history.
 */
export function locateReplay<Events extends EventMap, State>(
  history: HistoryStore,
  session: Session<Events, State>,
  lastEventId: string,
  onUnknown: UnknownIdHook<Events, State>,
  pageSize: number,
): MaybePromise<ReplayStart> {
  const from = (anchor: Anchor | undefined): MaybePromise<ReplayStart> =>
    then(readPageAfter(history, anchor, pageSize), (firstPage) => ({ anchor, firstPage }));
  return then(history.positionOf(lastEventId), (position) => {
    if (position !== undefined) return from({ id: lastEventId, position });
    return then(onUnknown(session, lastEventId), (decision): MaybePromise<ReplayStart> => {
      if (decision === 'none') return NOTHING;
      if (decision === 'all') return from(undefined);
      if (typeof decision === 'object' && decision !== null && 'reset' in decision) {
        return { ...NOTHING, reset: decision.reset };
      }
      throw new TypeError(
        `onUnknownLastEventId must return 'all', 'none' or { reset: fields }, got ${JSON.stringify(decision)}.`,
      );
    });
  });
}

/**
 * Reads up to `limit` events after `anchor` (from the oldest kept without one).
 * @throws {HistoryTrimmedError} when `anchor` was trimmed away meanwhile.
 */
function readPageAfter(
  history: HistoryStore,
  anchor: Anchor | undefined,
  limit: number,
): MaybePromise<readonly StoredEvent[]> {
  return then(history.readPage(anchor?.position ?? 0, limit), (page) => {
    if (anchor === undefined) return page;
    // [invariant] trimming drops the oldest first: the anchor still kept after the read means that
    // nothing after it was trimmed before the read, so the page follows it with no gap.
    return then(history.positionOf(anchor.id), (kept) => {
      if (kept === undefined) throw new HistoryTrimmedError();
      return page;
    });
  });
}

/** True when `filter` (if any) lets `session` see a stored event on replay. */
function visible<Events extends EventMap, State>(
  event: StoredEvent,
  session: Session<Events, State>,
  filter: ReplayFilter<Events, State> | undefined,
): boolean {
  return filter === undefined || filter(event, session);
}

/**
 * The history of a joining session as `replayPaged` reads it: pages after its start, the
 * events `filter` lets it see, each sent once ({@link CatchUp.admit}) so that the live events held
 * meanwhile do not repeat them.
 */
export function historySource<Events extends EventMap, State>(
  history: HistoryStore,
  session: Session<Events, State>,
  catchUp: CatchUp<Positioned>,
  start: ReplayStart,
  filter: ReplayFilter<Events, State> | undefined,
  wanted: () => boolean,
): ReplaySource<StoredEvent> {
  let anchor = start.anchor;
  return {
    readPage: (_after, limit) => readPageAfter(history, anchor, limit),
    positionOf: (event) => {
      anchor = event;
      return event.position;
    },
    bytesOf: (event) => (visible(event, session, filter) ? event.bytes : undefined),
    send: (event, bytes) => catchUp.admit(event.position) && session.sendBytes(bytes),
    wanted,
  };
}

/** The bytes of a replay that is one page: the reset event, or the stored events `filter` lets the session see. */
export function replayChunks<Events extends EventMap, State>(
  start: ReplayStart,
  session: Session<Events, State>,
  filter: ReplayFilter<Events, State> | undefined,
): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  if (start.reset !== undefined) chunks.push(encodeEventBytes(start.reset));
  for (const event of start.firstPage ?? []) if (visible(event, session, filter)) chunks.push(event.bytes);
  return chunks;
}

/** The default {@link UnknownIdHook}: replay everything kept. */
export function replayAll(): 'all' {
  return 'all';
}
