/**
 * The workload both servers get: who subscribes to what, and what is published.
 */

/** Rooms updates are published to. */
export const ROOMS = 100;
const BASE = 'https://bench.example/rooms';

/**
 * Subscriber `i` of the hub: even ones use an exact selector for one room, odd ones a
 * URI template matching every room. An update to a random room thus reaches about half
 * the subscribers plus the exact ones of its room.
 */
export function hubPath(i: number): string {
  const selector = i % 2 === 0 ? `${BASE}/${i % ROOMS}` : `${BASE}/{room}`;
  return `/.well-known/mercure?topic=${encodeURIComponent(selector)}`;
}

/** The same delivery pattern as the channel: every subscriber's template matches every update. */
const UNIFORM_PATH = `/.well-known/mercure?topic=${encodeURIComponent(`${BASE}/{room}`)}`;

/** Subscriber paths for a workload, subscribers `from` to `from + count - 1`. */
export function subscriberPaths(workload: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, k) => {
    if (workload === 'hub') return hubPath(from + k);
    return workload === 'hub-uniform' ? UNIFORM_PATH : '/events';
  });
}

/** A payload carrying its send time (wall clock, ms) for latency, padded to ~100 bytes. */
export function payload(sequence: number): string {
  return `{"t":${performance.timeOrigin + performance.now()},"seq":${sequence},"pad":"${'x'.repeat(48)}"}`;
}

/** The topic of update `sequence`. */
export function topicOf(sequence: number): string {
  return `${BASE}/${sequence % ROOMS}`;
}
