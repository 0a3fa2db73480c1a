/**
 * Coalesces writes within a tick: everything queued for one subscriber before
 * the scheduler runs leaves in one `write()` (one system call), and a channel
 * concatenates its events of the tick once for all its subscribers.
 *
 * `setImmediate` runs after the I/O callbacks of the current loop iteration,
 * so publishes that arrive together are batched at the price of well under a
 * millisecond of latency.
 */

/** Something with queued bytes to write out at the end of the tick. */
export interface Flushable {
  flush(): void;
}

let channels: Flushable[] = [];
let sessions: Flushable[] = [];
let scheduled = false;

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(runFlush);
}

/**
 * Queues a batch for the end of the tick: a Channel's, or any fan-out that writes one batch of events
 * to many sessions (the hub's dispatcher). Batches are written before session queues, and at once
 * before anything is sent to a session outside a batch, so every subscriber sees events in order.
 */
export function scheduleChannelFlush(channel: Flushable): void {
  channels.push(channel);
  schedule();
}

/** Queues one session's own pending bytes. */
export function scheduleSessionFlush(session: Flushable): void {
  sessions.push(session);
  schedule();
}

/**
 * Writes out every pending channel batch now. Called before anything is
 * queued to a session outside a batch (a direct send, a replay, a join), so
 * that each subscriber sees events in the order they were produced.
 */
export function flushChannelsNow(): void {
  while (channels.length > 0) {
    const batch = channels;
    channels = [];
    for (const channel of batch) channel.flush();
  }
}

function runFlush(): void {
  scheduled = false;
  flushChannelsNow();
  const batch = sessions;
  sessions = [];
  for (const session of batch) session.flush();
}

/** True when channel batches wait for the end of the tick. */
export function hasPendingChannels(): boolean {
  return channels.length > 0;
}
