/**
 * @spout/server: Server-Sent Events sessions and channels for any Node server.
 *
 * A {@link Session} is one event-stream response; a {@link Channel} fans
 * events out to many, encoding each once; a {@link HistoryStore} lets
 * reconnecting clients catch up from their `Last-Event-ID`.
 */
export { sseFromExpress } from './adapters/express.ts';
export { type Fastify, sseFromFastify } from './adapters/fastify.ts';
export { type HonoContext, sseFromHono } from './adapters/hono.ts';
export {
  type BroadcastOptions,
  Channel,
  type ChannelOptions,
  type JoinOptions,
  type SessionFilter,
} from './channel/channel.ts';
export type { ReplayFilter, UnknownIdDecision, UnknownIdHook } from './channel/replay.ts';
export type { ChannelErrorHook } from './channel/report-error.ts';
export type {
  HistoryLimits,
  HistoryRead,
  HistoryStore,
  MaybePromise,
  StoredEvent,
} from './history/history-store.ts';
export { MEMORY_HISTORY_DEFAULTS, MemoryHistory } from './history/memory-history.ts';
export { type Cors, type CorsOptions, createCors } from './http/cors.ts';
export { eventStreamHeaders } from './http/headers.ts';
export type { LastEventIdSource } from './http/last-event-id.ts';
export { decodeHeaderUtf8 } from './http/last-event-id.ts';
export { noContent, noContentResponse, noContentStream } from './http/no-content.ts';
export { CatchUp, type HoldLimits, type Positioned } from './replay/catch-up.ts';
export { goLive } from './replay/go-live.ts';
export {
  type ReplayFrom,
  type ReplayOutcome,
  type ReplayPacing,
  type ReplaySource,
  type ReplayStream,
  replayPaged,
} from './replay/replay-paged.ts';
export { DEFAULT_STALL_MS, REPLAY_HIGH_WATER, SLOW_CONSUMER_CLOSE } from './replay/slow-consumer.ts';
export { SESSION_DEFAULTS, type SessionOptions } from './session/config.ts';
export { type Flushable, scheduleChannelFlush } from './session/flush-scheduler.ts';
export { heartbeatTimerCount } from './session/heartbeat.ts';
export {
  type CloseReason,
  type EventMap,
  type SendOptions,
  Session,
  type SessionGroup,
  type SessionInit,
} from './session/session.ts';
export type { SessionSink } from './session/sink.ts';
export { type DrainingStream, waitForRoom } from './session/wait-for-room.ts';
export { createStreamSession } from './transports/http2.ts';
export { createSession, type HttpSessionOptions } from './transports/node.ts';
export { createWebSession, type WebSession } from './transports/web.ts';
