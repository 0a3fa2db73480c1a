/** The types a session is described by, apart from the Session class (session.ts). */

/** Event names mapped to the type of their data, for type-checked sends. */
export type EventMap = Record<string, unknown>;

/**
 * Why a session ended:
 * - `'client'`: the client went away (or the connection broke);
 * - `'server'`: the application called `Session.close`, or a Channel closed the session because
 *   its replay buffer (`maxReplayBuffer`) overflowed while history was sent, or the history was trimmed
 *   past what its replay had sent;
 * - `'overflow'`: the client read too slowly and the buffer cap was reached, or it made no room for a
 *   Channel's replay within `replayTimeout`;
 * - `'error'`: the transport failed, or a Channel could not serve the session (its replay failed).
 */
export type CloseReason = 'client' | 'server' | 'overflow' | 'error';

/** Fields that go with one event besides its data. */
export interface SendOptions<K extends string = string> {
  /** Event type; the client dispatches `message` when absent. */
  event?: K;
  /** Event id: becomes the client's `Last-Event-ID`. */
  id?: string;
  /** Reconnection delay in milliseconds. */
  retry?: number;
}

/** Where a session starts: what the transport learnt from the request. */
export interface SessionInit<State> {
  /** The `Last-Event-ID` the client sent (header or query parameter), if any. */
  lastEventId?: string | undefined;
  /** Application metadata to attach to the session. */
  state?: State;
}
