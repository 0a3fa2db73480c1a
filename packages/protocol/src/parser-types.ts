/** What the event-stream parser takes and gives (parser.ts, line-parser.ts). */
import type { ParseError } from './parse-error.ts';

/** An event as the client dispatches it: the fields of a `MessageEvent`. */
export interface ParsedEvent {
  /** The event type: the last `event:` value, or `message`. */
  type: string;
  /** The `data:` lines joined by LF. */
  data: string;
  /** The last event ID in force when the event was dispatched (persists across events). */
  lastEventId: string;
  /** The event's own valid `retry:` value, when it had one (already reported through `onRetry`). */
  retry?: number;
}

/** Callbacks and limits for {@link createParser}. */
export interface ParserOptions {
  /** Called for each dispatched event. */
  onEvent?: (event: ParsedEvent) => void;
  /** Called for each comment line, with one leading space removed. */
  onComment?: (text: string) => void;
  /** Called when a valid `retry:` field sets the reconnection time (milliseconds). */
  onRetry?: (milliseconds: number) => void;
  /**
   * Called when an event is dropped for exceeding `maxEventSize`. Without it,
   * `feed()` throws the {@link ParseError} after processing the whole chunk.
   */
  onError?: (error: ParseError) => void;
  /**
   * Most bytes one event may hold while it is assembled (its unfinished line
   * plus its data so far, counted as UTF-16 code units once decoded).
   * An event past it is dropped and reported; parsing resumes with the next
   * event. Default: 4 MiB.
   */
  maxEventSize?: number;
  /** Last event ID to start from, e.g. the one a reconnecting client already had. */
  lastEventId?: string;
}

/** A running parser. */
export interface EventStreamParser {
  /** Feeds the next piece of the stream: raw bytes (decoded as UTF-8 here) or text. */
  feed(chunk: Uint8Array | string): void;
  /**
   * Starts a new stream (after a reconnect): forgets the unfinished line and
   * event, and expects a BOM again. The last event ID persists unless given.
   */
  reset(options?: { lastEventId?: string }): void;
  /** The last event ID string: set when an event is dispatched, kept until an `id:` line changes it. */
  readonly lastEventId: string;
}
