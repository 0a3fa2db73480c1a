/**
 * The last step of replay-then-live, shared by a Channel and the hub core: once a reader's
 * history is sent, what was held for it follows, then live items.
 */
import type { CatchUp, Positioned } from './catch-up.ts';

/**
 * Ends a reader's replay: writes the live items held meanwhile that are newer than the last one
 * sent, oldest first, through `write`; from then on the caller writes live items to it as they come
 * (through {@link CatchUp.admit} when the same item may reach it twice).
 *
 * Call it in the same synchronous step that makes the reader live, so that no live item falls
 * between what was held and what follows.
 *
 * @returns false, writing nothing, when the held items passed their bound
 *   ({@link CatchUp.overflowed}): the caller closes the reader as a slow consumer (see
 *   `SLOW_CONSUMER_CLOSE`).
 */
export function goLive<Item extends Positioned>(
  catchUp: CatchUp<Item>,
  write: (bytes: Uint8Array) => unknown,
): boolean {
  // Still holding (nothing of it left) until the caller has closed it: it must not take live items.
  if (catchUp.overflowed) return false;
  for (const item of catchUp.goLive()) write(item.bytes);
  return true;
}
