/**
 * Waiting for a slow reader with a deadline: what a producer that writes more than one client
 * takes at once (a replay, a backlog) does between batches. Shared by Channel replays and the hub's.
 */

/** What is waited on: a Session satisfies it. */
export interface DrainingStream {
  /** The drain signal: resolves once the transport takes more without queueing, or the stream ended. */
  whenWritable(): Promise<void>;
  readonly isOpen: boolean;
}

/**
 * The drain signal means the transport takes more, not that it is empty, and nothing signals
 * "empty": a producer whose own mark is lower than the transport's buffer (Node's sockets take 64 KiB
 * before they report themselves full) looks again after this long.
 */
const RECHECK_MS = 5;

/** Longest delay `setTimeout` keeps: past it, it fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits on `stream`'s drain signal, then for as long as `stillFull()` says the producer may not
 * write yet, for at most `timeoutMs` in all.
 *
 * @returns true when there is room (or the stream ended) in time; false when the deadline passed
 *   first, which makes the reader a slow consumer: the caller closes it.
 */
export async function waitForRoom(
  stream: DrainingStream,
  stillFull: () => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let inTime = await before(stream.whenWritable(), deadline);
  while (inTime && stream.isOpen && stillFull()) inTime = await before(delay(RECHECK_MS), deadline);
  return inTime;
}

/** Resolves true when `promise` settles before `deadline` (a `performance.now()` time), else false at the deadline. */
function before(promise: Promise<void>, deadline: number): Promise<boolean> {
  const left = deadline - performance.now();
  if (left > MAX_TIMER_MS) return promise.then(() => true);
  if (left <= 0) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), left);
    promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
