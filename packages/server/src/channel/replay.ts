import { type EventFields, encodeEventBytes } from '@spout/protocol';
import type { HistoryStore, MaybePromise, StoredEvent } from '../history/history-store.ts';
import type { Positioned } from '../replay/catch-up.ts';
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

/** What a joining session is sent before live events. */
export interface Replay {
  readonly events: readonly StoredEvent[];
  readonly reset?: EventFields;
}

/** A live event held for a session while its replay is read or written, with its place among live events. */
export interface HeldEvent extends Positioned {
  readonly id: string;
}

const NOTHING: Replay = { events: [] };

/** Applies `fn` now to a plain value, or later to a promised one. */
function then<T, R>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}

/** Reads what a client that last saw `lastEventId` missed, consulting `onUnknown` when the id is not in history. */
export function readReplay<Events extends EventMap, State>(
  history: HistoryStore,
  session: Session<Events, State>,
  lastEventId: string,
  onUnknown: UnknownIdHook<Events, State>,
): MaybePromise<Replay> {
  return then(history.readAfter(lastEventId), (read) => {
    if (read.found) return { events: read.events };
    return then(onUnknown(session, lastEventId), (decision): MaybePromise<Replay> => {
      if (decision === 'none') return NOTHING;
      if (decision === 'all') return then(history.readAll(), (events) => ({ events }));
      if (typeof decision === 'object' && decision !== null && 'reset' in decision) {
        return { events: [], reset: decision.reset };
      }
      throw new TypeError(
        `onUnknownLastEventId must return 'all', 'none' or { reset: fields }, got ${JSON.stringify(decision)}.`,
      );
    });
  });
}

/** The bytes a replay sends a session: the reset event, or the stored events `filter` lets it see. */
export function replayChunks<Events extends EventMap, State>(
  replay: Replay,
  session: Session<Events, State>,
  filter: ((event: StoredEvent, session: Session<Events, State>) => boolean) | undefined,
): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  if (replay.reset !== undefined) chunks.push(encodeEventBytes(replay.reset));
  for (const event of replay.events)
    if (filter === undefined || filter(event, session)) chunks.push(event.bytes);
  return chunks;
}

/**
 * The position of the last held live event that the replay sends or that the client already had
 * (its last id); 0 when none. Both are in append order, so every held event up to it is a repeat
 * and what follows is new: held events carry the positions, the replay only ids.
 */
export function coveredPosition(held: readonly HeldEvent[], replay: Replay, lastEventId: string): number {
  if (held.length === 0) return 0;
  const known = new Set(replay.events.map((event) => event.id));
  known.add(lastEventId);
  let covered = 0;
  for (const event of held) if (known.has(event.id)) covered = event.position;
  return covered;
}

/** The default {@link UnknownIdHook}: replay everything kept. */
export function replayAll(): 'all' {
  return 'all';
}
