import type { HistoryStore, StoredEvent } from '../history/history-store.ts';
import type { EventMap, SendOptions, Session } from '../session/session.ts';
import type { UnknownIdHook } from './replay.ts';
import type { ChannelErrorHook } from './report-error.ts';

/** Options of a `Channel`. */
export interface ChannelOptions<Events extends EventMap, State> {
  /** Where past events are kept for `Last-Event-ID` replay. Without it, joining sessions get live events only. */
  history?: HistoryStore;
  /** Turns `broadcast()` data into `data:` text. Default: `JSON.stringify`. */
  serialize?: (data: unknown) => string;
  /** Decides which stored events a session may see on replay (pair it with `filter` and `meta` on broadcast). */
  replayFilter?: (event: StoredEvent, session: Session<Events, State>) => boolean;
  /** Decides what a client with an unknown or expired `Last-Event-ID` gets. Default: replay all history. */
  onUnknownLastEventId?: UnknownIdHook<Events, State>;
  /**
   * Most live events held for one session while its replay is read or
   * written (they follow the replay); past it the session is closed with
   * reason `'server'` (it reconnects and resumes). Default 10,000. The
   * `maxItems` of the replay's shared `CatchUp` (the slow-consumer policy of
   * `replay/slow-consumer.ts`).
   */
  maxReplayBuffer?: number;
  /**
   * Most bytes of live events held for one session while its replay is read or
   * written; past it the session is closed as for `maxReplayBuffer`. Default: no
   * byte limit (the count limit applies). The `maxBytes` of the replay's `CatchUp`.
   */
  maxReplayBufferBytes?: number;
  /**
   * Milliseconds a replay waits for a client that does not read to make room
   * (history is written page by page, at most 64 KiB unsent, each after the
   * previous one drained); past it the session is closed with reason
   * `'overflow'`, as a slow consumer. The `stallMs` of the shared
   * `replayPaged`. Default 30,000; `Infinity` waits for ever (the held live
   * events stay bounded by `maxReplayBuffer`).
   */
  replayTimeout?: number;
  /**
   * Told when a session cannot join: its replay could not be read (the store
   * threw or rejected), filtered (`replayFilter` threw) or decided
   * (`onUnknownLastEventId` threw). The session has been closed with reason
   * `'error'`, so its client reconnects and tries again. Default: a process
   * warning (code `SPOUT_CHANNEL_ERROR`) for the channel's first failure only.
   */
  onError?: ChannelErrorHook<Events, State>;
}

/** Picks the sessions a broadcast goes to. */
export type SessionFilter<Events extends EventMap, State> = (session: Session<Events, State>) => boolean;

/** Options of one broadcast. */
export interface BroadcastOptions<K extends string, Events extends EventMap, State> extends SendOptions<K> {
  /** Only sessions for which it returns true get the event (live). */
  filter?: SessionFilter<Events, State>;
  /** Kept with the event in history, for `replayFilter`. */
  meta?: unknown;
}

/** Options of `Channel.join`. */
export interface JoinOptions {
  /** Replays events after this id instead of the session's own `lastEventId`; `undefined` replays nothing. */
  lastEventId?: string | undefined;
}

/** Throws a RangeError naming the option when `options[name]` is set but not a number > 0. */
export function checkPositive<Events extends EventMap, State>(
  options: ChannelOptions<Events, State>,
  name: 'replayTimeout' | 'maxReplayBufferBytes',
): void {
  const value = options[name];
  if (value !== undefined && !(value > 0))
    throw new RangeError(`Channel option "${name}" must be a number > 0, got ${String(value)}.`);
}
