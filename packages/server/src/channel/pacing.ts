import { replayPaged } from '../replay/replay-paged.ts';
import type { EventMap, Session } from '../session/session.ts';

/**
 * [policy] Most bytes a replay queues to one session before it waits for the
 * drain signal: enough for few system calls, little memory per replaying client.
 */
export const REPLAY_HIGH_WATER = 64 * 1024;

/** Default `replayTimeout`: how long a replay waits for a client to make room before closing it. */
export const DEFAULT_REPLAY_TIMEOUT = 30_000;

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
 * Queues `chunks` to `session` in order through the shared paged replay ({@link replayPaged}):
 * whenever the next chunk would take what it buffers past the high-water mark, it awaits the
 * session's drain signal, so a replay of any size reaches a client that reads without passing its cap.
 *
 * @param timeout - ms a client may take to make room; past it the session is
 *   closed as a slow consumer (reason `'overflow'`).
 * @param wanted - checked before each chunk: false stops the writing (the session left).
 * @returns true once every chunk is queued; false when writing stopped (the session closed or is no longer wanted).
 */
export async function writePaced(
  session: Session<EventMap, unknown>,
  chunks: readonly Uint8Array[],
  timeout: number,
  wanted: () => boolean,
): Promise<boolean> {
  // A chunk's position is its place in `chunks`, from 1: what the pages are read by.
  const items = chunks.map((bytes, index) => ({ position: index + 1, bytes }));
  const outcome = await replayPaged(
    session,
    {
      readPage: (after, limit) => items.slice(after, after + limit),
      positionOf: (item) => item.position,
      bytesOf: (item) => item.bytes,
      send: (item) => session.sendBytes(item.bytes),
      wanted,
    },
    { after: 0 },
    {
      pageSize: Math.max(1, chunks.length),
      highWaterBytes: Math.min(REPLAY_HIGH_WATER, session.maxBufferedBytes),
      stallMs: timeout,
    },
  );
  // [policy] a client that does not read during its replay is a slow consumer, like one past its cap.
  if (outcome.end === 'stalled') session.abort('overflow');
  return outcome.end === 'done' && session.isOpen;
}
