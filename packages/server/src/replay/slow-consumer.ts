/**
 * [policy] The slow-consumer policy of replay-then-live, one for a Channel and the hub core: a
 * reader never makes the server hold an unbounded amount for it. While its history is sent:
 *
 * - the live items held for it are bounded (`CatchUp`'s `HoldLimits`; a Channel's
 *   `maxReplayBuffer` and `maxReplayBufferBytes`, the hub's `subscriberQueueBytes`): past the bound
 *   they are dropped and the reader is closed, `heldOverflow` below;
 * - `replayPaged` leaves at most its high-water mark unsent ({@link REPLAY_HIGH_WATER}, or the
 *   session's cap when smaller; the hub: half of `subscriberQueueBytes`) and waits on the drain
 *   signal: a client that takes nothing for the stall time (a Channel's `replayTimeout`, the hub's
 *   `replayStallTimeout`, both {@link DEFAULT_STALL_MS} by default) is closed, `stalled` below.
 *
 * Live, a session past its `maxBufferedBytes` is closed with reason `'overflow'`. In every case the
 * client reconnects with the last id it received and resumes from history, missing nothing that
 * history keeps.
 *
 * @module
 */
import type { CloseReason } from '../session/session.ts';

/**
 * The session close reason of each way a replaying reader is closed as a slow consumer, the same
 * for a Channel and the hub: `'server'` when the live items held for it passed their bound (the
 * session is ended cleanly, what it was sent is flushed), `'overflow'` when it took nothing for the
 * stall time (the response is aborted, as for a live session past its cap). The hub counts both
 * as the disconnect cause `overflow`.
 */
export const SLOW_CONSUMER_CLOSE = {
  heldOverflow: 'server',
  stalled: 'overflow',
} as const satisfies Record<string, CloseReason>;

/** Most bytes a replay leaves unsent for one reader before it waits for the drain signal. */
export const REPLAY_HIGH_WATER = 64 * 1024;

/** Default stall time: how long a replay waits for a client to take anything before closing it. */
export const DEFAULT_STALL_MS = 30_000;
