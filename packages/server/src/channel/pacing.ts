/**
 * How a channel paces a replay: the shared {@link replayPaged} with the channel's options, and
 * when the rest of a replay may be queued at once instead.
 */
import type { Positioned } from '../replay/catch-up.ts';
import { type ReplayOutcome, type ReplayPacing, replayPaged } from '../replay/replay-paged.ts';
import { DEFAULT_STALL_MS, REPLAY_HIGH_WATER } from '../replay/slow-consumer.ts';
import type { EventMap, Session } from '../session/session.ts';

/** Stored events a channel reads at once during a replay. */
export const REPLAY_PAGE = 256;

/**
 * The pacing of a replay to `session`: pages of {@link REPLAY_PAGE}, at most 64 KiB (or the
 * session's cap, if smaller) left unsent, and `replayTimeout` as the stall time.
 */
export function replayPacing(
  session: Session<EventMap, unknown>,
  replayTimeout: number | undefined,
): ReplayPacing {
  return {
    pageSize: REPLAY_PAGE,
    highWaterBytes: Math.min(REPLAY_HIGH_WATER, session.maxBufferedBytes),
    stallMs: replayTimeout ?? DEFAULT_STALL_MS,
  };
}

/** True when `chunks` can be queued to `session` at once without its cap closing it. */
export function fitsAtOnce(session: Session<EventMap, unknown>, chunks: readonly Uint8Array[]): boolean {
  if (chunks.length === 0) return true;
  let size = 0;
  for (const bytes of chunks) size += bytes.byteLength;
  const buffered = session.bufferedBytes;
  // [policy] one event alone in an empty buffer always goes out, whatever its size.
  return buffered + size <= session.maxBufferedBytes || (buffered === 0 && chunks.length === 1);
}

/**
 * Writes live events taken from a session's catch-up (already counted as sent) through the shared
 * paged replay, at the pace the client reads, as the history before them.
 */
export function writeHeld(
  session: Session<EventMap, unknown>,
  held: readonly Positioned[],
  pacing: ReplayPacing,
  wanted: () => boolean,
): Promise<ReplayOutcome> {
  return replayPaged(
    session,
    {
      readPage: (after, limit) => {
        const from = held.findIndex((event) => event.position > after);
        return from < 0 ? [] : held.slice(from, from + limit);
      },
      positionOf: (event) => event.position,
      bytesOf: (event) => event.bytes,
      send: (_event, bytes) => session.sendBytes(bytes),
      wanted,
    },
    { after: 0, firstPage: held },
    { ...pacing, pageSize: Math.max(1, held.length) },
  );
}
