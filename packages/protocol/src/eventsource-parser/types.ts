/** The public types of the eventsource-parser compatible API, with the same names and shapes. */
import type { ParseError } from './errors.ts';

/**
 * A parser made by `createParser`. `feed` and `reset` work when destructured.
 * Reset it between streams (e.g. after a reconnect).
 * @public
 */
export interface EventSourceParser {
  /** Feeds the next piece of the stream, as text. Events are reported through the callbacks. */
  feed(chunk: string): void;
  /**
   * Starts a new stream: forgets the unfinished line and event. With `consume: true`, the
   * unfinished line is first parsed as if a line end followed it (its event is still not
   * dispatched: that takes a blank line), so that e.g. a non-SSE response reaches `onError`.
   */
  reset(options?: { consume?: boolean }): void;
}

/**
 * A dispatched event.
 * @public
 */
export interface EventSourceMessage {
  /** The `event:` value of this event; `undefined` when absent or empty (a browser says `message`). */
  event?: string | undefined;
  /** The `id:` value set in this event's own lines, if any (not the persisted last event ID: see `onId`). */
  id?: string | undefined;
  /** The `data:` lines joined by LF. */
  data: string;
}

/**
 * Callbacks for `createParser`.
 * @public
 */
export interface ParserCallbacks {
  /**
   * Called at the blank line ending a block that set an id (the last valid one in the block), with
   * or without data, before `onEvent`. `''` when the id was empty; an id containing NUL is ignored.
   */
  onId?: ((id: string) => void) | undefined;
  /** Called for each dispatched event. */
  onEvent?: ((event: EventSourceMessage) => void) | undefined;
  /** Called when a `retry:` field of ASCII digits sets the reconnection time (milliseconds). */
  onRetry?: ((retry: number) => void) | undefined;
  /** Called for each comment line, with one leading space removed. */
  onComment?: ((comment: string) => void) | undefined;
  /** Called with each {@link ParseError}. */
  onError?: ((error: ParseError) => void) | undefined;
}

/**
 * Options for `createParser`: the callbacks and a buffer limit.
 * @public
 */
export interface ParserConfig extends ParserCallbacks {
  /**
   * Most characters held across `feed()` calls: the unfinished line plus the data of the event
   * being built. Past it, `onError` gets a `max-buffer-size-exceeded` error and `feed()` throws
   * until `reset()`. Default: unbounded.
   */
  maxBufferSize?: number | undefined;
}
