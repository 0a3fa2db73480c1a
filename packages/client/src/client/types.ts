/** The public types of connect(). */
import type { SseError } from '../core/sse-error.ts';
import type { BackoffOptions } from './backoff.ts';

/**
 * Maps each event type a stream sends to the type of its data once parsed, e.g.
 * `{ price: { symbol: string; value: number }; message: string }`. An interface or a type literal.
 */
export type EventMap = object;

/** An event as connect() delivers it. */
export interface SseEvent<Type extends string = string, Data = string> {
  /** The `event:` field, or `message`. */
  type: Type;
  /** The data, joined by LF, passed through the `parse` option. */
  data: Data;
  /** The last event ID in force when the event was dispatched. */
  lastEventId: string;
  /** The origin of the stream's final URL (after redirects). */
  origin: string;
  /** The event's own `retry:` value in milliseconds, when its block had a valid one (the stream already applies it). */
  retry?: number;
}

/** The union of the events of an {@link EventMap}: narrowing on `type` narrows `data`. */
export type SseEventOf<Events extends EventMap> = {
  [Type in keyof Events & string]: SseEvent<Type, Events[Type]>;
}[keyof Events & string];

/** What the `shouldRetry` hook is told about a failure. */
export interface RetryContext {
  /** Why the attempt failed (status, reason, `retryAfter`...). */
  error: SseError;
  /** 1 for the first reconnect after the stream last delivered bytes, then 2, 3... */
  attempt: number;
  /** The delay the policy chose, in milliseconds (backoff with jitter, at least any `Retry-After`). */
  delay: number;
  /** The Last-Event-ID the next request will send. */
  lastEventId: string;
}

/**
 * The `shouldRetry` hook's answer: `false` stops (the connection fails with the error),
 * a number reconnects after that many milliseconds, `true` reconnects after the policy's delay
 * even for an error that is not retryable, `undefined` keeps the default (retry if retryable).
 */
export type RetryVerdict = boolean | number | undefined;

/** Reconnect policy: exponential backoff with full jitter, honouring `retry:` and `Retry-After`. */
export interface ReconnectOptions extends Partial<BackoffOptions> {
  /** Reconnect attempts in a row (without a byte received) before giving up. Default Infinity. */
  maxAttempts?: number;
  /** Called before each reconnect; may stop it, delay it, or force it. */
  shouldRetry?: (context: RetryContext) => RetryVerdict | Promise<RetryVerdict>;
}

/** Passed to `headers` and `body` callbacks, which run before every attempt. */
export interface RequestContext {
  /** 0 for the first request, then the number of failures in a row. */
  attempt: number;
  /** The Last-Event-ID this request will send ('' for none). */
  lastEventId: string;
}

/** A body that can be sent again on every reconnect. */
export type ReusableBody = Exclude<BodyInit, ReadableStream>;

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** HTTP method. Default `GET`, or `POST` when a body is given. */
  method?: string;
  /** Request headers, e.g. `{ authorization: 'Bearer …' }`; a function runs before every attempt (token refresh). */
  headers?: HeadersInit | ((context: RequestContext) => HeadersInit | Promise<HeadersInit>);
  /** Request body, re-sent on every reconnect; a function builds a fresh one per attempt (needed for streams). */
  body?: ReusableBody | ((context: RequestContext) => BodyInit | Promise<BodyInit>);
  /** Fetch credentials mode. Default `same-origin`. */
  credentials?: RequestCredentials;
  /** The fetch to use. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Aborting it closes the connection, like close(). */
  signal?: AbortSignal;
  /** Last event ID to resume from on the first request. A string without NUL, CR or LF. */
  lastEventId?: string;
  /** The same as `lastEventId`, under eventsource-client's name. */
  initialLastEventId?: string;
  /** Reconnect policy, or `false` to never reconnect. */
  reconnect?: ReconnectOptions | false;
  /** Milliseconds without any byte (events and heartbeat comments alike) before reconnecting. 0 (default) disables. */
  stallTimeout?: number;
  /** How to turn `data` into the event's data: `text` (default), `json`, or a function. A throw fails the connection. */
  parse?: 'text' | 'json' | ((data: string, type: string) => unknown);
  /** Largest event accepted, in bytes; a larger one is dropped and reported. Default 4 MiB. */
  maxEventSize?: number;
  /** Events each async iterator may hold before reading pauses. Default 1000. */
  bufferSize?: number;
  /**
   * Called when a response opens the stream (status 2xx, `text/event-stream`), before its body is read.
   * A throw or a rejected promise refuses it: the attempt fails with an SseError of reason `rejected` whose
   * `cause` is what was thrown. That is final unless `reconnect.shouldRetry` returns `true` or a delay.
   */
  onOpen?: (response: Response) => void | Promise<void>;
  /** Called for every event, whatever its type, before the listeners of its type and the iterators. */
  onMessage?: (event: SseEvent<string, unknown>) => void;
  /**
   * Called when the server ends the stream: its body ended (the reconnect policy then decides, as for any
   * failure), or it answered 204 (the stream is over and `done` resolves). Not called after close().
   */
  onClose?: () => void;
  /**
   * In a browser, keep the connection while the page is hidden. Default `false`, as in fetch-event-source:
   * the request is dropped when `document.hidden` becomes true (or is true at the start), and a new one,
   * with Last-Event-ID, starts when the page is visible again. No effect outside a browser.
   */
  openWhenHidden?: boolean;
  /** Called for every error: failures before a reconnect, losses that do not end the stream, and the final one. */
  onError?: (error: SseError) => void;
  /** Called for each comment line (heartbeats), without its colon. */
  onComment?: (text: string) => void;
}
