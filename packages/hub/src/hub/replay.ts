/**
 * Sends a subscriber the history it missed, page by page, without outrunning it.
 */
import { mayReceive } from '../auth/index.ts';
import type { UpdateStore } from '../store/types.ts';
import { anyTopicMatches } from '../topics/index.ts';
import { encodeUpdate } from './encode.ts';
import type { Subscriber } from './subscriber.ts';

/** How replay reads and paces itself. */
export interface ReplayOptions {
  /** Updates read from the store at once. */
  pageSize: number;
  /** Above this many unsent bytes, replay waits for the client to read. */
  highWaterBytes: number;
}

const POLL_MS = 5;

function waitForRoom(subscriber: Subscriber, highWaterBytes: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      const stream = subscriber.stream;
      if (stream === undefined || !stream.isOpen || stream.bufferedBytes <= highWaterBytes / 2) resolve();
      else setTimeout(check, POLL_MS);
    };
    check();
  });
}

/**
 * Replays every kept update after position `after` that matches the subscriber's
 * selectors and claims, oldest first; returns how many were sent. Stops early when
 * the stream closes. Reads until the store has nothing newer, so that updates
 * published meanwhile are either replayed or held by the subscriber, never lost.
 */
export async function replayAfter(
  store: UpdateStore,
  subscriber: Subscriber,
  after: number,
  options: ReplayOptions,
): Promise<number> {
  let position = after;
  let sent = 0;
  for (;;) {
    const page = await store.readAfter(position, options.pageSize);
    for (const update of page) {
      position = update.position;
      if (!anyTopicMatches(subscriber.selectors, update.topics)) continue;
      // [spec] private updates from history obey the same rule as live ones
      if (!mayReceive(subscriber.claims, update)) continue;
      if (subscriber.replayed(update.position, encodeUpdate(update))) sent++;
      const stream = subscriber.stream;
      if (stream === undefined || !stream.isOpen) return sent;
      if (stream.bufferedBytes > options.highWaterBytes)
        await waitForRoom(subscriber, options.highWaterBytes);
    }
    if (page.length < options.pageSize) return sent;
  }
}
