import type { EventMap, Session } from '../session/session.ts';
import { waitForRoom } from '../session/wait-for-room.ts';

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
 * Queues `chunks` to `session` in order, awaiting its drain signal whenever
 * the next chunk would take what it buffers past the high-water mark, so a
 * replay of any size reaches a client that reads without passing its cap.
 *
 * @param timeout - ms a client may take to make room; past it the session is
 *   closed as a slow consumer (reason `'overflow'`).
 * @param wanted - checked after each wait: false stops the writing (the session left).
 * @returns true once every chunk is queued; false when writing stopped (the session closed or is no longer wanted).
 */
export async function writePaced(
  session: Session<EventMap, unknown>,
  chunks: readonly Uint8Array[],
  timeout: number,
  wanted: () => boolean,
): Promise<boolean> {
  const highWater = Math.min(REPLAY_HIGH_WATER, session.maxBufferedBytes);
  for (const bytes of chunks) {
    if (wouldPass(session, bytes.byteLength, highWater)) {
      if (!(await makeRoom(session, bytes.byteLength, timeout)) || !wanted()) return false;
    }
    if (!session.sendBytes(bytes)) return false;
  }
  return true;
}

/** True when queueing `size` bytes behind what the session buffers would take it past `limit`. */
function wouldPass(session: Session<EventMap, unknown>, size: number, limit: number): boolean {
  const buffered = session.bufferedBytes;
  return buffered > 0 && buffered + size > limit;
}

/** Waits until `size` more bytes may be queued; closes the session as a slow consumer after `timeout` ms. */
async function makeRoom(
  session: Session<EventMap, unknown>,
  size: number,
  timeout: number,
): Promise<boolean> {
  const inTime = await waitForRoom(
    session,
    () => wouldPass(session, size, session.maxBufferedBytes),
    timeout,
  );
  // [policy] a client that does not read during its replay is a slow consumer, like one past its cap.
  if (!inTime) session.abort('overflow');
  return session.isOpen;
}
