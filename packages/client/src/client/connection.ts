/** connect(): an event-stream client with headers, bodies, a reconnect policy, stall detection and async iteration. */
import type { ParsedEvent } from '@spout/protocol';
import { resolveUrl } from '../core/http.ts';
import { ReconnectingStream, type RetryDecision, type StreamState } from '../core/reconnecting-stream.ts';
import { SseError } from '../core/sse-error.ts';
import { splitCredentials } from '../core/url-credentials.ts';
import { EventQueue } from './event-queue.ts';
import { initialLastEventIdOf, parserFor, positiveInteger, stallTimeoutOf } from './options.ts';
import { requestFactory } from './request.ts';
import { RetryPolicy } from './retry-policy.ts';
import type { ConnectOptions, EventMap, SseEvent, SseEventOf } from './types.ts';
import { watchVisibility } from './visibility.ts';

const DEFAULT_BUFFER_SIZE = 1000;
/** Bytes of an error response kept in SseError.body. */
const ERROR_BODY_LIMIT = 2048;

type Listener = (event: SseEvent<string, unknown>) => void;

/**
 * A live event stream opened by {@link connect}. Iterate it with `for await`, or register listeners with `on()`.
 * It connects at once and reconnects by its policy until close(), the signal, a 204, or a final error.
 */
export class SseConnection<Events extends EventMap = Record<string, string>>
  implements AsyncIterable<SseEventOf<Events>>
{
  /** The URL of the stream, without any username and password it had (those are sent as Basic authorization). */
  readonly url: string;
  /** Resolves when the connection closes normally (close(), the signal, a 204); rejects with the final SseError. */
  readonly done: Promise<void>;
  readonly #options: ConnectOptions;
  readonly #stream: ReconnectingStream;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #queues = new Set<EventQueue<SseEventOf<Events>>>();
  readonly #parse: (data: string, type: string) => unknown;
  readonly #policy: RetryPolicy;
  readonly #bufferSize: number;
  readonly #onAbort = () => this.close();
  #unwatchVisibility: () => void = () => undefined;
  #finalError: SseError | undefined;
  #settle!: (error: SseError | undefined) => void;

  constructor(url: string | URL, options: ConnectOptions = {}) {
    const resolved = resolveUrl(url);
    // Credentials in the URL go in the Authorization header; they stay out of `url` and so out of logs.
    this.url = splitCredentials(resolved).url.href;
    this.#options = options;
    this.#parse = parserFor(options.parse);
    this.#policy = new RetryPolicy(options.reconnect ?? {}, (error) => this.#report(error));
    this.#bufferSize = positiveInteger('bufferSize', options.bufferSize ?? DEFAULT_BUFFER_SIZE);
    const stallTimeout = stallTimeoutOf(options);
    const lastEventId = initialLastEventIdOf(options);
    const prepare = requestFactory(options);
    this.done = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (this.#isNormalEnd(error) ? resolve() : reject(error));
    });
    // The rejection is also delivered to iterators and onError; awaiting `done` is optional.
    this.done.catch(() => undefined);
    this.#stream = new ReconnectingStream({
      url: resolved,
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      prepare: (attempt) => prepare({ attempt, lastEventId: this.#stream.lastEventId }),
      // A 204 never gets here: checkResponse answers it first.
      accepts: (status) => status >= 200 && status < 300,
      lastEventId,
      reconnectionTime: this.#policy.baseDelay,
      maxEventSize: options.maxEventSize,
      stallTimeout,
      errorBodyLimit: ERROR_BODY_LIMIT,
      decide: (error, attempt) => this.#decide(error, attempt),
      onOpen: (response) => this.#opened(response),
      onEvent: (event, origin) => this.#dispatch(event, origin),
      onComment: (text) => this.#callUser('onComment', options.onComment, text),
      // An event over maxEventSize is lost: tolerated only when onError is there to hear of it.
      onWarning: (error) => (options.onError === undefined ? this.#stream.fail(error) : this.#report(error)),
      onError: (error) => {
        if (!this.#isNormalEnd(error)) this.#report(error);
      },
      onClose: (error) => this.#closed(error),
      backpressure: () => this.#backpressure(),
    });
    const signal = options.signal;
    if (signal?.aborted) {
      this.#stream.close();
      return;
    }
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    if (options.openWhenHidden !== true) {
      this.#unwatchVisibility = watchVisibility({
        hidden: () => this.#stream.pause(),
        visible: () => this.#stream.resume(),
      });
    }
    this.#stream.start();
  }

  /** `connecting` (also while waiting to reconnect), `open`, or `closed` for good. */
  get state(): StreamState {
    return this.#stream.state;
  }

  /** The last event ID, sent as Last-Event-ID on the next reconnect. */
  get lastEventId(): string {
    return this.#stream.lastEventId;
  }

  /** The server's last `retry:` value, or the policy's base delay, in milliseconds. */
  get reconnectionTime(): number {
    return this.#stream.reconnectionTime;
  }

  /**
   * Calls `listener` for each event of `type` (`message` for events without `event:`).
   * Returns a function that removes the listener.
   */
  on<Type extends keyof Events & string>(
    type: Type,
    listener: (event: SseEvent<Type, Events[Type]>) => void,
  ): () => void {
    let listeners = this.#listeners.get(type);
    if (listeners === undefined) {
      listeners = new Set();
      this.#listeners.set(type, listeners);
    }
    const entry = listener as Listener;
    listeners.add(entry);
    return () => listeners.delete(entry);
  }

  /** Stops everything: the request, the body, any pending reconnect. Iterators finish; `done` resolves. */
  close(): void {
    this.#stream.close();
  }

  /**
   * Events in order. Iterators created before the first event miss nothing; leaving the loop early
   * (`break`, `return`, a throw) closes the connection. A final error is thrown from the loop.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<SseEventOf<Events>> {
    const queue = new EventQueue<SseEventOf<Events>>(this.#bufferSize, (stopped) => {
      this.#queues.delete(stopped);
      this.close();
    });
    if (this.#stream.state === 'closed') queue.end(this.#finalErrorForIterators());
    else this.#queues.add(queue);
    return queue;
  }

  /** [spec] the end of the body, or a 204, is the server ending the stream: onClose hears it before the policy decides. */
  #decide(error: SseError, attempt: number): Promise<RetryDecision> | RetryDecision {
    if (error.reason === 'ended' || error.reason === 'no-content') {
      this.#callUser('onClose', this.#options.onClose, undefined);
      // close() from onClose: the loop sees the closed state and drops this decision.
      if (this.#stream.state === 'closed') return { fail: error };
    }
    const facts = { serverRetry: this.#stream.serverRetry, lastEventId: this.#stream.lastEventId };
    return this.#policy.decide(error, attempt, facts);
  }

  /** onOpen may refuse the response by throwing (or rejecting): the attempt then fails with reason `rejected`. */
  async #opened(response: Response): Promise<void> {
    try {
      await this.#options.onOpen?.(response);
    } catch (error) {
      throw new SseError('rejected', `The onOpen callback refused the response: ${String(error)}`, {
        cause: error,
        status: response.status,
        statusText: response.statusText,
        url: response.url || this.url,
      });
    }
  }

  #dispatch(parsed: ParsedEvent, origin: string): void {
    const { type, lastEventId } = parsed;
    let data: unknown;
    try {
      data = this.#parse(parsed.data, type);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#stream.fail(
        new SseError(
          'decode',
          `Could not parse the data of a "${type}" event (last event ID "${lastEventId}"): ${message}`,
          { cause: error, url: this.url },
        ),
      );
      return;
    }
    const event: SseEvent<string, unknown> = { type, data, lastEventId, origin };
    if (parsed.retry !== undefined) event.retry = parsed.retry;
    this.#callUser('onMessage', this.#options.onMessage, event);
    for (const listener of this.#listeners.get(type) ?? []) {
      // close() from a callback stops the rest of them.
      if (this.#stream.state === 'closed') return;
      try {
        listener(event);
      } catch (error) {
        this.#report(
          new SseError('listener', `A listener for "${type}" events threw: ${String(error)}`, {
            cause: error,
          }),
        );
      }
    }
    for (const queue of this.#queues) queue.push(event as SseEventOf<Events>);
  }

  /** Runs after every chunk: allocates nothing unless an iterator's queue is full. */
  #backpressure(): Promise<void> | undefined {
    let full: Promise<void>[] | undefined;
    for (const queue of this.#queues) {
      if (!queue.full) continue;
      full ??= [];
      full.push(queue.roomAvailable());
    }
    return full === undefined ? undefined : Promise.all(full).then(() => undefined);
  }

  #closed(error: SseError | undefined): void {
    this.#finalError = error;
    const iteratorError = this.#finalErrorForIterators();
    for (const queue of this.#queues) queue.end(iteratorError);
    this.#queues.clear();
    this.#listeners.clear();
    this.#unwatchVisibility();
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    this.#settle(error);
  }

  #finalErrorForIterators(): SseError | undefined {
    return this.#isNormalEnd(this.#finalError) ? undefined : this.#finalError;
  }

  /**
   * Endings that are not failures: close(), the signal, a 204 (the server says stop), and, with
   * `reconnect: false`, the server ending the body (a one-shot stream, e.g. a POST's streamed answer).
   */
  #isNormalEnd(error: SseError | undefined): boolean {
    if (error === undefined || error.reason === 'no-content') return true;
    return this.#policy.disabled && error.reason === 'ended';
  }

  /** Errors go to onError; those that do not end the stream, without an onError, are rethrown where they cannot be missed. */
  #report(error: SseError): void {
    const onError = this.#options.onError;
    if (onError === undefined) {
      if (error.reason === 'listener') rethrowLater(error);
      return;
    }
    try {
      onError(error);
    } catch (thrown) {
      rethrowLater(thrown);
    }
  }

  /** Runs a user callback; a throw is reported and never breaks the connection loop. */
  #callUser<T>(name: string, callback: ((value: T) => void) | undefined, value: T): void {
    try {
      callback?.(value);
    } catch (error) {
      this.#report(
        new SseError('listener', `The ${name} callback threw: ${String(error)}`, { cause: error }),
      );
    }
  }
}

/**
 * Opens an event stream. Typed events: give the map of event types to data types, and a `parse`.
 *
 * @example
 * const stream = connect<{ price: { symbol: string; value: number } }>('https://example.com/prices', {
 *   headers: { authorization: `Bearer ${token}` },
 *   parse: 'json',
 * });
 * for await (const event of stream) console.log(event.data.symbol, event.data.value);
 */
export function connect<Events extends EventMap = Record<string, string>>(
  url: string | URL,
  options: ConnectOptions = {},
): SseConnection<Events> {
  return new SseConnection<Events>(url, options);
}

/** Throws outside any promise chain, as EventTarget does with a listener's exception. */
function rethrowLater(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}
