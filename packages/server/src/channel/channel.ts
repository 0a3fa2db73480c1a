import { type EventFields, encodeEventBytes } from '@spout/protocol';
import type { HistoryStore, StoredEvent } from '../history/history-store.ts';
import type { CatchUp, Positioned } from '../replay/catch-up.ts';
import { goLive } from '../replay/go-live.ts';
import { serializeData } from '../session/config.ts';
import { flushChannelsNow, scheduleChannelFlush } from '../session/flush-scheduler.ts';
import type { EventMap, Session } from '../session/session.ts';
import { type ReplayHost, replayThenLive } from './join-replay.ts';
import {
  type BroadcastOptions,
  type ChannelOptions,
  checkPositive,
  type JoinOptions,
  type SessionFilter,
} from './options.ts';
import { Replaying } from './replaying.ts';
import { type ChannelErrorHook, reportError, warnOnce } from './report-error.ts';

export type { BroadcastOptions, ChannelOptions, JoinOptions, SessionFilter } from './options.ts';

/** A batch larger than this is written at once rather than at the end of the tick. */
const MAX_BATCH_BYTES = 64 * 1024;
const noop = (): void => {};
const RESOLVED = Promise.resolve();

/**
 * Many sessions that receive the same events. A broadcast is encoded once;
 * the events of one tick are concatenated once and the same bytes are written
 * to every session, in one write each.
 *
 * With a history, a joining session that sent `Last-Event-ID` is first sent
 * everything after that id, then live events, with no gap and no duplicate,
 * even while broadcasts happen during the replay.
 */
export class Channel<Events extends EventMap = EventMap, State = unknown> {
  readonly #options: ChannelOptions<Events, State>;
  readonly #sessions = new Set<Session<Events, State>>();
  /** Sessions being replayed to, each with the live events held for it meanwhile. */
  readonly #replaying: Replaying<Events, State>;
  #batch: Uint8Array[] = [];
  #batchBytes = 0;
  #tail: Promise<void> | null = null;
  #inFlight = 0;
  readonly #onError: ChannelErrorHook<Events, State>;
  /** What a joining session's replay needs from the channel. */
  readonly #host: ReplayHost<Events, State>;

  constructor(options: ChannelOptions<Events, State> = {}) {
    checkPositive(options, 'replayTimeout');
    checkPositive(options, 'maxReplayBufferBytes');
    this.#options = options;
    this.#host = {
      options,
      appending: () => this.#tail,
      replaying: (session, catchUp) => this.#replaying.get(session) === catchUp,
      goLive: (session, catchUp) => this.#goLive(session, catchUp),
      fail: (session, error) => this.#fail(session, error),
    };
    this.#replaying = new Replaying(options);
    this.#onError = options.onError ?? warnOnce();
  }

  /** The history store, if any. */
  get history(): HistoryStore | undefined {
    return this.#options.history;
  }

  /** Number of sessions, including those still being replayed to. */
  get size(): number {
    return this.#sessions.size + this.#replaying.size;
  }

  /** The sessions in the channel (a copy), including those still being replayed to. */
  sessions(): Session<Events, State>[] {
    return [...this.#sessions, ...this.#replaying.sessions()];
  }

  /** True when `session` is in the channel. */
  has(session: Session<Events, State>): boolean {
    return this.#sessions.has(session) || this.#replaying.has(session);
  }

  /**
   * Adds a session. With a history and a last event id (the session's, or
   * `options.lastEventId`), it is first sent the events it missed. A closed
   * session is ignored; a session leaves by itself when it closes.
   *
   * A replay that fails (see {@link ChannelOptions.onError}) closes the
   * session with reason `'error'` and goes to `onError`; `join` itself never
   * throws nor rejects, so it is safe to call without awaiting it.
   *
   * The history is read page by page and written at the pace the client
   * reads (each batch after the previous one drained) while live events are
   * held, through the replay-then-live shared with the hub (`replay/`).
   *
   * @returns a promise resolved once the session is live, or out of the
   *   channel (closed, left, failed); with a synchronous store (like
   *   {@link MemoryHistory}) and a replay of one page that fits under the
   *   session's cap, that has already happened on return.
   */
  join(session: Session<Events, State>, options: JoinOptions = {}): Promise<void> {
    if (!session.isOpen || this.has(session)) return RESOLVED;
    const history = this.#options.history;
    const lastEventId = 'lastEventId' in options ? options.lastEventId : session.lastEventId;
    if (history === undefined || lastEventId === undefined) {
      this.#goLive(session, null);
      return RESOLVED;
    }
    // [invariant] held for BEFORE history is read: nothing broadcast meanwhile is lost.
    const catchUp = this.#replaying.start(session);
    session.joined(this);
    return replayThenLive(this.#host, history, session, lastEventId, catchUp);
  }

  /** Removes a session without closing it. */
  leave(session: Session<Events, State>): void {
    this.remove(session);
    session.left(this);
  }

  /** @internal Called by a closing session. */
  remove(session: Session<EventMap, unknown>): void {
    this.#sessions.delete(session as Session<Events, State>);
    this.#replaying.delete(session as Session<Events, State>);
  }

  /**
   * Sends `serialize(data)` to every session (or those passing `filter`).
   * With a history, the event is stored first and gets an id if it has none.
   *
   * @returns the event's id once stored and sent to the sessions (`undefined` without history or id).
   * @throws {EventEncodingError} synchronously for invalid fields (asynchronous stores reject instead).
   */
  broadcast<K extends keyof Events & string>(
    data: Events[K],
    options: BroadcastOptions<K, Events, State> = {},
  ): Promise<string | undefined> {
    const fields: EventFields = { data: this.#serialize(data), event: options.event, id: options.id };
    if (options.retry !== undefined) fields.retry = options.retry;
    return this.broadcastEvent(fields, options);
  }

  /** {@link Channel.broadcast} of a named event, type-checked: `channel.emit('price', 187.2)`. */
  emit<K extends keyof Events & string>(
    event: K,
    data: Events[K],
    options: Omit<BroadcastOptions<K, Events, State>, 'event'> = {},
  ): Promise<string | undefined> {
    return this.broadcast(data, { ...options, event });
  }

  /** Broadcasts raw fields: `data` is used as is, without the serializer. */
  broadcastEvent(
    fields: EventFields,
    options: { filter?: SessionFilter<Events, State>; meta?: unknown } = {},
  ): Promise<string | undefined> {
    const history = this.#options.history;
    if (history === undefined) {
      this.#fanOut(encodeEventBytes(fields), options.filter, undefined);
      return Promise.resolve(fields.id);
    }
    const filter = options.filter;
    if (this.#inFlight === 0) {
      const stored = history.append(fields, options.meta);
      if (!(stored instanceof Promise)) {
        this.#fanOut(stored.bytes, filter, stored);
        return Promise.resolve(stored.id);
      }
      return this.#chain(() => stored, filter);
    }
    return this.#chain(() => history.append(fields, options.meta), filter);
  }

  /** Closes every session, after an optional final event. */
  close(finalEvent?: EventFields): void {
    this.flush();
    const bytes = finalEvent === undefined ? undefined : encodeEventBytes(finalEvent);
    for (const session of this.sessions()) {
      if (bytes !== undefined) session.sendBytes(bytes);
      session.close();
    }
  }

  /** @internal Writes the events of this tick to every session: concatenated once, one write each. */
  flush(): void {
    const batch = this.#batch;
    if (batch.length === 0) return;
    const bytes = batch.length === 1 ? batch[0]! : Buffer.concat(batch, this.#batchBytes);
    this.#batch = [];
    this.#batchBytes = 0;
    for (const session of this.#sessions) session.writeShared(bytes);
  }

  #serialize(data: unknown): string {
    return serializeData(this.#options.serialize ?? JSON.stringify, data, 'Channel');
  }

  /** Appends strictly in order, each after the previous event went out. */
  #chain(
    append: () => StoredEvent | Promise<StoredEvent>,
    filter: SessionFilter<Events, State> | undefined,
  ): Promise<string> {
    const previous = this.#tail ?? Promise.resolve();
    this.#inFlight++;
    const op = previous
      .then(append)
      .then((stored) => {
        this.#fanOut(stored.bytes, filter, stored);
        return stored.id;
      })
      .finally(() => {
        if (--this.#inFlight === 0) this.#tail = null;
      });
    this.#tail = op.then(noop, noop);
    return op;
  }

  /** Sends an event to the live sessions, and holds it (`stored`: its place in history) for those replayed to. */
  #fanOut(
    bytes: Uint8Array,
    filter: SessionFilter<Events, State> | undefined,
    stored: StoredEvent | undefined,
  ): void {
    if (stored !== undefined && this.#replaying.size > 0) this.#replaying.hold(stored, filter);
    if (filter === undefined) {
      if (this.#batch.length === 0) scheduleChannelFlush(this);
      this.#batch.push(bytes);
      this.#batchBytes += bytes.byteLength;
      if (this.#batchBytes >= MAX_BATCH_BYTES) this.flush();
      return;
    }
    this.flush();
    for (const session of this.#sessions) if (filter(session)) session.sendBytes(bytes);
  }

  /** [policy] a session the channel cannot serve is closed, not left silent: its client reconnects and retries. */
  #fail(session: Session<Events, State>, error: unknown): void {
    this.remove(session);
    session.abort('error');
    reportError(this.#onError, error, session);
  }

  /**
   * Adds the session to the live ones after what was held for it (the shared last step of
   * replay-then-live), in one synchronous step: no broadcast falls in between.
   */
  #goLive(session: Session<Events, State>, catchUp: CatchUp<Positioned> | null): void {
    // The pending batch was held for the session too (or is in its replay): it must not reach it again.
    flushChannelsNow();
    if (catchUp !== null) {
      this.#replaying.delete(session);
      if (!goLive(catchUp, (bytes) => session.sendBytes(bytes))) session.close();
    }
    if (!session.isOpen) return;
    this.#sessions.add(session);
    if (catchUp === null) session.joined(this);
  }
}
