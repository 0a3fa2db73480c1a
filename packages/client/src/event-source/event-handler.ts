/**
 * Event handler IDL attributes (`onopen`, `onmessage`, `onerror`) as the HTML standard defines them:
 * the first non-null value registers one listener, which keeps its place among the other listeners
 * while the value changes; null removes it.
 */

/** The value of an `on…` attribute. */
export type EventHandler<T extends Event = Event> = ((this: EventTarget, event: T) => unknown) | null;

interface Slot {
  handler: EventHandler<Event>;
  listener: ((event: Event) => void) | undefined;
}

/** The `on…` attributes of one EventTarget. */
export class EventHandlerSlots {
  readonly #target: EventTarget;
  readonly #slots = new Map<string, Slot>();

  constructor(target: EventTarget) {
    this.#target = target;
  }

  get(type: string): EventHandler<Event> {
    return this.#slots.get(type)?.handler ?? null;
  }

  set(type: string, value: unknown): void {
    // WebIDL: a value that is not callable converts to null.
    const handler = typeof value === 'function' ? (value as EventHandler<Event>) : null;
    let slot = this.#slots.get(type);
    if (slot === undefined) {
      slot = { handler: null, listener: undefined };
      this.#slots.set(type, slot);
    }
    slot.handler = handler;
    if (handler === null) {
      if (slot.listener !== undefined) this.#target.removeEventListener(type, slot.listener);
      slot.listener = undefined;
      return;
    }
    if (slot.listener !== undefined) return;
    const current = slot;
    slot.listener = (event: Event) => {
      const result = current.handler?.call(this.#target, event);
      // [html] a handler returning false cancels the event.
      if (result === false) event.preventDefault();
    };
    this.#target.addEventListener(type, slot.listener);
  }
}
