/**
 * An update on the wire: encoded once, then the same bytes go to every subscriber.
 */
import { encodeEventBytes } from '@spout/protocol';
import type { Update } from '../store/types.ts';

/**
 * [spec] updates go out as text/event-stream events: `id` always (so clients can resume),
 * `event` from `type`, `data` split into lines, `retry` when given. `data` is always
 * written, even empty, so that every client dispatches the event.
 */
export function encodeUpdate(update: Update): Uint8Array {
  return encodeEventBytes({ id: update.id, event: update.type, data: update.data, retry: update.retry });
}
