/**
 * When subscribers must be closed (a token's exp, the maximum connection lifetime), with one timer
 * per distinct moment instead of one per subscriber.
 *
 * [why] A Node timer and its callback cost about 330 bytes of heap: a quarter of what the hub core
 * holds for an idle subscriber. Tokens' exp are whole seconds and lifetimes end on a whole second
 * ({@link lifetimeEnd}), so subscribers that connect close together share a moment, and its timer.
 */

/** setTimeout's longest delay; a later moment is reached in several steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The end of a connection lifetime started now: rounded up to the next whole second, so that lifetimes share timers. */
export function lifetimeEnd(now: number, lifetimeMs: number): number {
  return Math.ceil((now + lifetimeMs) / 1000) * 1000;
}

/** Items due at moments (milliseconds since the epoch), handed to `expire` once each moment has come. */
export class Deadlines<Item> {
  /** Per moment: the items due then, and the one timer that reaches it. */
  readonly #due = new Map<number, { items: Set<Item>; timer: NodeJS.Timeout }>();
  readonly #expire: (item: Item) => void;

  constructor(expire: (item: Item) => void) {
    this.#expire = expire;
  }

  /** Hands `item` to `expire` at `at` or just after, never before. */
  add(item: Item, at: number): void {
    let moment = this.#due.get(at);
    if (moment === undefined) {
      moment = { items: new Set(), timer: this.#arm(at) };
      this.#due.set(at, moment);
    }
    moment.items.add(item);
  }

  /** Forgets `item`, due at `at` (it left before). */
  remove(item: Item, at: number): void {
    const moment = this.#due.get(at);
    if (moment === undefined || !moment.items.delete(item) || moment.items.size > 0) return;
    this.#due.delete(at);
    clearTimeout(moment.timer);
  }

  /** Forgets every item and stops every timer. */
  clear(): void {
    for (const { timer } of this.#due.values()) clearTimeout(timer);
    this.#due.clear();
  }

  #arm(at: number): NodeJS.Timeout {
    const delay = Math.max(0, Math.min(at - Date.now(), MAX_TIMER_MS));
    const timer = setTimeout(() => this.#reach(at), delay);
    timer.unref();
    return timer;
  }

  #reach(at: number): void {
    const moment = this.#due.get(at);
    if (moment === undefined) return;
    // A timer may fire a little early, and a far moment takes several timers.
    if (Date.now() < at) {
      moment.timer = this.#arm(at);
      return;
    }
    this.#due.delete(at);
    for (const item of moment.items) this.#expire(item);
  }
}
