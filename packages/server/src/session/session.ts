import { type EventFields, encodeCommentBytes, encodeEventBytes } from '@spout/protocol';
import { CloseListeners } from './close-listeners.ts';
import { resolveSessionConfig, type SessionConfig, type SessionOptions, serializeData } from './config.ts';
import { flushChannelsNow, hasPendingChannels, scheduleSessionFlush } from './flush-scheduler.ts';
import { joinHeartbeat, leaveHeartbeat } from './heartbeat.ts';
import type { CloseReason, EventMap, SendOptions, SessionInit } from './session-types.ts';
import type { SessionSink } from './sink.ts';

export type { CloseReason, EventMap, SendOptions, SessionInit } from './session-types.ts';

/** A group a session belongs to (a channel); told when the session ends. */
export interface SessionGroup {
  remove(session: Session<EventMap, unknown>): void;
}

type Pending = Uint8Array | Uint8Array[] | null;

const HEARTBEAT = encodeCommentBytes();
const OPEN = 0;
const CLOSED = 1;

/**
 * One Server-Sent Events response. Transport-neutral: the factories in
 * `transports/` create it over node:http, node:http2 or a web `Response`.
 *
 * Writes are queued and leave together at the end of the tick (one system
 * call for many events). The transport's `write()` result is respected: while
 * it reports a full buffer, events wait in the session's queue, and past
 * `maxBufferedBytes` the session is closed with reason `'overflow'`.
 *
 * @typeParam Events - event names mapped to their data type, checked by {@link Session.emit}.
 * @typeParam State - type of {@link Session.state}, the application's metadata.
 */
export class Session<Events extends EventMap = EventMap, State = unknown> {
  /** The `Last-Event-ID` the client reconnected with, or `undefined` on a first connection. */
  readonly lastEventId: string | undefined;
  /** Application metadata (user, topics, ...), free to set. */
  state: State;

  #sink: SessionSink;
  #config: SessionConfig;
  #pending: Pending = null;
  #pendingBytes = 0;
  #blocked = false;
  #active = false;
  #status = OPEN;
  #reason: CloseReason | undefined;
  #groups: SessionGroup[] | null = null;
  #closeListeners: CloseListeners | null = null;
  #writableWaiters: (() => void)[] | null = null;

  /**
   * Wraps a sink whose headers are already sent. Use a transport factory
   * (`createSession`, `createStreamSession`, `createWebSession`) unless you
   * write a transport of your own; the transport must then call
   * {@link Session.drained} on drain and {@link Session.disconnected} on close.
   */
  constructor(sink: SessionSink, options?: SessionOptions, init: SessionInit<State> = {}) {
    this.#sink = sink;
    this.#config = resolveSessionConfig(options);
    this.lastEventId = init.lastEventId;
    this.state = init.state as State;
    if (this.#config.heartbeatInterval > 0) joinHeartbeat(this.#config.heartbeatInterval, this);
    if (this.#config.retryBytes !== undefined) this.#queue(this.#config.retryBytes);
  }

  /** True until the session is closed, by either side. */
  get isOpen(): boolean {
    return this.#status === OPEN;
  }

  /** Why the session ended, or `undefined` while it is open. */
  get closeReason(): CloseReason | undefined {
    return this.#reason;
  }

  /** Resolves with the reason once the session has ended; never rejects. */
  get closed(): Promise<CloseReason> {
    this.#closeListeners ??= new CloseListeners();
    return this.#closeListeners.promise(this.#reason);
  }

  /** Bytes waiting in this session's queue and its transport buffer. */
  get bufferedBytes(): number {
    return this.#status === OPEN ? this.#pendingBytes + this.#sink.writableLength : 0;
  }

  /** The cap on {@link Session.bufferedBytes} (`maxBufferedBytes`): queueing past it closes the session. */
  get maxBufferedBytes(): number {
    return this.#config.maxBufferedBytes;
  }

  /**
   * The drain signal: resolves once the transport takes more without queueing (nothing waits
   * in the session's queue and the last write was accepted), or once the session has ended.
   * At once when that holds now. A producer that writes more than one client can take (a
   * replay, a large backlog) awaits it between batches instead of polling `bufferedBytes`.
   */
  whenWritable(): Promise<void> {
    if (this.#status !== OPEN || (!this.#blocked && this.#pending === null)) return Promise.resolve();
    return new Promise((resolve) => {
      this.#writableWaiters ??= [];
      this.#writableWaiters.push(resolve);
    });
  }

  /** Calls `listener` once when the session ends (at once if it already has). */
  onClose(listener: (reason: CloseReason) => void): void {
    if (this.#reason !== undefined) {
      listener(this.#reason);
      return;
    }
    this.#closeListeners ??= new CloseListeners();
    this.#closeListeners.add(listener);
  }

  /**
   * Sends one event whose data is `serialize(data)` (JSON by default).
   * With `options.event` set, `data` is checked against that event's type.
   *
   * @returns `false` when the session is closed (nothing is sent), else `true`.
   * @throws {EventEncodingError} when `id`, `event` or `retry` cannot be encoded.
   * @throws {TypeError} when the serializer returns no string (e.g. `JSON.stringify(undefined)`).
   */
  send<K extends keyof Events & string>(data: Events[K], options?: SendOptions<K>): boolean {
    const fields: EventFields = { data: this.#serialize(data) };
    if (options !== undefined) {
      fields.event = options.event;
      fields.id = options.id;
      fields.retry = options.retry;
    }
    return this.sendEvent(fields);
  }

  /**
   * Sends a named event, type-checked against the session's event map:
   * `session.emit('price', { symbol: 'AAPL', value: 187.2 })`.
   */
  emit<K extends keyof Events & string>(
    event: K,
    data: Events[K],
    options?: Omit<SendOptions, 'event'>,
  ): boolean {
    return this.send(data, { ...options, event });
  }

  /** Sends an event from raw fields: `data` is used as is, without the serializer. */
  sendEvent(fields: EventFields): boolean {
    if (this.#status !== OPEN) return false;
    return this.sendBytes(encodeEventBytes(fields));
  }

  /**
   * Sends bytes that are already one or more complete encoded events or
   * comments (from `encodeEventBytes`). The same bytes may go to many
   * sessions: they are queued, not copied, and never modified, so do not
   * modify them afterwards either.
   */
  sendBytes(bytes: Uint8Array): boolean {
    if (this.#status !== OPEN) return false;
    // A channel batch queued earlier in this tick must reach the client first.
    if (hasPendingChannels()) flushChannelsNow();
    return this.#queue(bytes);
  }

  /** Sends a comment (ignored by clients; keeps proxies from timing out). */
  comment(text = ''): boolean {
    if (this.#status !== OPEN) return false;
    return this.sendBytes(encodeCommentBytes(text));
  }

  /**
   * Ends the stream from the server side, after an optional final event.
   * Queued events are written first. A browser `EventSource` reconnects after
   * this; answer its reconnect with `noContent()` (204) to stop it for good.
   */
  close(finalEvent?: EventFields): void {
    if (this.#status !== OPEN) return;
    if (finalEvent !== undefined) this.sendEvent(finalEvent);
    this.#end('server');
  }

  /** @internal Called by the transport when its buffer has drained. */
  drained(): void {
    this.#blocked = false;
    this.flush();
    if (!this.#blocked && this.#pending === null) this.#wakeWriters();
  }

  /**
   * Ends the session at once, aborting the response, for a producer that gives up on it:
   * `'overflow'` for a client that stopped reading (a Channel's or the hub's stalled replay),
   * `'error'` when it cannot be served.
   */
  abort(reason: 'overflow' | 'error'): void {
    if (this.#status === OPEN) this.#end(reason);
  }

  /** @internal Called by the transport when the response is closed or failed. */
  disconnected(error?: unknown): void {
    if (this.#status === OPEN) this.#end(error === undefined ? 'client' : 'error');
  }

  /** @internal Writes the queue out; called once per tick by the flush scheduler. */
  flush(): void {
    const pending = this.#pending;
    if (this.#blocked || pending === null || this.#status !== OPEN) return;
    const chunk = Array.isArray(pending) ? Buffer.concat(pending, this.#pendingBytes) : pending;
    this.#pending = null;
    this.#pendingBytes = 0;
    if (!this.#sink.write(chunk)) this.#blocked = true;
    else this.#wakeWriters();
  }

  /**
   * Writes bytes shared with other sessions (a channel batch; a fan-out engine
   * of your own) at once when nothing waits in the queue and the transport
   * accepts more, else queues them like {@link Session.sendBytes}. Unlike
   * `sendBytes` it does not wait for the end of the tick: call it from your
   * own per-tick flush, with one buffer for many sessions.
   *
   * @returns `false` when the session is closed or this write closed it (over its cap).
   */
  writeShared(bytes: Uint8Array): boolean {
    if (this.#status !== OPEN) return false;
    if (this.#pending !== null || this.#blocked) return this.#queue(bytes);
    this.#active = true;
    if (!this.#sink.write(bytes)) {
      this.#blocked = true;
      if (this.#overCap(this.#sink.writableLength, bytes)) {
        this.#end('overflow');
        return false;
      }
    }
    return true;
  }

  /** @internal Heartbeat timer: a comment if nothing was written since the last beat. */
  beat(): void {
    if (!this.#active && this.#status === OPEN) this.#queue(HEARTBEAT);
    this.#active = false;
  }

  /** @internal Registers a group (channel) to leave when the session ends. */
  joined(group: SessionGroup): void {
    this.#groups ??= [];
    this.#groups.push(group);
  }

  /** @internal Forgets a group the session left before ending. */
  left(group: SessionGroup): void {
    const groups = this.#groups;
    if (groups === null) return;
    const at = groups.indexOf(group);
    if (at >= 0) groups.splice(at, 1);
  }

  #serialize(data: unknown): string {
    return serializeData(this.#config.serialize, data, 'Session');
  }

  #queue(bytes: Uint8Array): boolean {
    this.#active = true;
    const pending = this.#pending;
    if (pending === null) {
      this.#pending = bytes;
      if (!this.#blocked) scheduleSessionFlush(this);
    } else if (Array.isArray(pending)) pending.push(bytes);
    else this.#pending = [pending, bytes];
    this.#pendingBytes += bytes.byteLength;
    if (this.#overCap(this.#pendingBytes + this.#sink.writableLength, bytes)) {
      // [policy] a client too slow for its cap is dropped; it resumes with Last-Event-ID.
      this.#end('overflow');
      return false;
    }
    return true;
  }

  /**
   * [policy] the cap bounds what waits behind the first unsent bytes, not one write itself: bytes
   * that are alone in an empty buffer always go out, so a single event larger than the cap (a
   * big update replayed after a reconnect) is delivered rather than closing every reader of it.
   */
  #overCap(buffered: number, bytes: Uint8Array): boolean {
    return buffered > this.#config.maxBufferedBytes && buffered > bytes.byteLength;
  }

  #wakeWriters(): void {
    const waiters = this.#writableWaiters;
    if (waiters === null) return;
    this.#writableWaiters = null;
    for (const wake of waiters) wake();
  }

  #end(reason: CloseReason): void {
    this.#status = CLOSED;
    this.#reason = reason;
    if (this.#config.heartbeatInterval > 0) leaveHeartbeat(this.#config.heartbeatInterval, this);
    const groups = this.#groups;
    this.#groups = null;
    if (groups !== null) for (const group of groups) group.remove(this as Session<EventMap, unknown>);
    const pending = this.#pending;
    this.#pending = null;
    this.#pendingBytes = 0;
    if (reason === 'server') {
      if (pending !== null) this.#sink.write(Array.isArray(pending) ? Buffer.concat(pending) : pending);
      this.#sink.end();
    } else this.#sink.destroy();
    this.#notify(reason);
  }

  #notify(reason: CloseReason): void {
    this.#wakeWriters();
    this.#closeListeners?.notify(reason);
  }
}
