/**
 * @spout/client: a spec-exact `EventSource` for Node and browsers, and `connect()`, a client
 * that does what EventSource cannot (headers, POST, backoff with jitter, stall detection, async iteration).
 */

export { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from './client/backoff.ts';
export { connect, SseConnection } from './client/connection.ts';
export type {
  ConnectOptions,
  EventMap,
  ReconnectOptions,
  RequestContext,
  RetryContext,
  RetryVerdict,
  ReusableBody,
  SseEvent,
  SseEventOf,
} from './client/types.ts';
export {
  type EventSourceMessage,
  type FetchEventSourceInit,
  fetchEventSource,
} from './compat/fetch-event-source.ts';
export type { StreamState } from './core/reconnecting-stream.ts';
export { SseError, type SseErrorDetails, type SseErrorReason } from './core/sse-error.ts';
export {
  /** The name the `eventsource` package (v4) gives its error event, for a one-import switch. */
  EventSourceErrorEvent as ErrorEvent,
  EventSourceErrorEvent,
} from './event-source/error-event.ts';
export {
  DEFAULT_RECONNECTION_TIME,
  EventSource,
  type EventSourceEventMap,
  type EventSourceFetchInit,
  type EventSourceInit,
} from './event-source/event-source.ts';
