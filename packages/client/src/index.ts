/**
 * @spout/client: a spec-exact `EventSource` for Node and browsers, and `connect()`, a client
 * that does what EventSource cannot (headers, POST, backoff with jitter, stall detection, async iteration).
 */
export { SseError, type SseErrorDetails, type SseErrorReason } from './core/sse-error.ts';
export { DEFAULT_RECONNECTION_TIME, EventSource, type EventSourceInit } from './event-source/event-source.ts';
