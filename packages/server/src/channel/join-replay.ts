/**
 * Replay-then-live for one session joining a channel with a history, through the shared
 * mechanism of `replay/`: its live events are held by a {@link CatchUp} while {@link replayPaged}
 * sends the history at the pace the client reads, then the shared `goLive`.
 */
import { encodeEventBytes } from '@spout/protocol';
import type { HistoryStore } from '../history/history-store.ts';
import type { CatchUp, Positioned } from '../replay/catch-up.ts';
import { replayPaged } from '../replay/replay-paged.ts';
import { SLOW_CONSUMER_CLOSE } from '../replay/slow-consumer.ts';
import type { EventMap, Session } from '../session/session.ts';
import type { ChannelOptions } from './options.ts';
import { fitsAtOnce, REPLAY_PAGE, replayPacing, writeHeld } from './pacing.ts';
import {
  HistoryTrimmedError,
  historySource,
  locateReplay,
  type ReplayStart,
  replayAll,
  replayChunks,
} from './replay.ts';

/** What a session's replay needs from its channel. */
export interface ReplayHost<Events extends EventMap, State> {
  readonly options: ChannelOptions<Events, State>;
  /** The append in flight, if any: the replay may read its event before the channel holds it. */
  appending(): Promise<void> | null;
  /** True while `catchUp` is still the session's: it did not leave, close or join again. */
  replaying(session: Session<Events, State>, catchUp: CatchUp<Positioned>): boolean;
  /** Makes the session live after what was held for it, in one synchronous step. */
  goLive(session: Session<Events, State>, catchUp: CatchUp<Positioned>): void;
  /** Closes a session the channel cannot serve (reason `'error'`) and reports why. */
  fail(session: Session<Events, State>, error: unknown): void;
}

const RESOLVED = Promise.resolve();

/**
 * Sends a session registered with `catchUp` the history after `lastEventId`, then makes it live.
 * A replay that is one page read in this synchronous step and fits under the session's cap, with
 * no append in flight, is queued and the session goes live in this same step.
 * @returns a promise resolved once the session is live or out of the channel; never rejects.
 */
export function replayThenLive<Events extends EventMap, State>(
  host: ReplayHost<Events, State>,
  history: HistoryStore,
  session: Session<Events, State>,
  lastEventId: string,
  catchUp: CatchUp<Positioned>,
): Promise<void> {
  try {
    const onUnknown = host.options.onUnknownLastEventId ?? replayAll;
    const start = locateReplay(history, session, lastEventId, onUnknown, REPLAY_PAGE);
    if (!(start instanceof Promise) && sendAtOnce(host, session, catchUp, start)) return RESOLVED;
    return replayPacedThenLive(host, history, session, catchUp, start);
  } catch (error) {
    host.fail(session, error);
    return RESOLVED;
  }
}

/** Queues a replay of one page at once and goes live; false when it must be paced instead. */
function sendAtOnce<Events extends EventMap, State>(
  host: ReplayHost<Events, State>,
  session: Session<Events, State>,
  catchUp: CatchUp<Positioned>,
  start: ReplayStart,
): boolean {
  if ((start.firstPage?.length ?? 0) >= REPLAY_PAGE || host.appending() !== null) return false;
  if (start.anchor !== undefined) catchUp.resumeAfter(start.anchor.position);
  const chunks = replayChunks(start, session, host.options.replayFilter);
  if (!fitsAtOnce(session, chunks)) return false;
  for (const bytes of chunks) session.sendBytes(bytes);
  host.goLive(session, catchUp);
  return true;
}

/**
 * Sends the history through the shared paged replay, then the live events held meanwhile (paced
 * the same way until what is left fits at once), then goes live.
 */
async function replayPacedThenLive<Events extends EventMap, State>(
  host: ReplayHost<Events, State>,
  history: HistoryStore,
  session: Session<Events, State>,
  catchUp: CatchUp<Positioned>,
  located: ReplayStart | Promise<ReplayStart>,
): Promise<void> {
  const wanted = () => host.replaying(session, catchUp);
  const pacing = replayPacing(session, host.options.replayTimeout);
  try {
    const start = await located;
    if (!wanted()) return;
    if (start.anchor !== undefined) catchUp.resumeAfter(start.anchor.position);
    if (start.reset !== undefined) session.sendBytes(encodeEventBytes(start.reset));
    const source = historySource(history, session, catchUp, start, host.options.replayFilter, wanted);
    const from = { after: start.anchor?.position ?? 0, firstPage: start.firstPage };
    let { end } =
      start.firstPage === undefined ? { end: 'done' } : await replayPaged(session, source, from, pacing);
    while (end === 'done') {
      // An append the replay may have read could still be on its way out: let it land among the held events.
      const appending = host.appending();
      if (appending !== null) await appending;
      if (!wanted()) return;
      const held = catchUp.held.map((event) => event.bytes);
      if (fitsAtOnce(session, held)) {
        host.goLive(session, catchUp);
        return;
      }
      ({ end } = await writeHeld(session, catchUp.takeHeld(), pacing, wanted));
    }
    if (end === 'stalled') session.abort(SLOW_CONSUMER_CLOSE.stalled);
  } catch (error) {
    // [policy] a client slower than the history keeps events is closed like one past the held bound.
    if (error instanceof HistoryTrimmedError) session.close();
    else host.fail(session, error);
  }
}
