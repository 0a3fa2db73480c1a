/**
 * The connection loop shared by EventSource and connect(): fetch, check the response, feed the
 * body to the protocol parser, and on failure ask a policy whether and when to try again.
 * Policy and presentation live in the callers; this file only runs the loop.
 */
import { createParser, type EventStreamParser, type ParsedEvent } from '@spout/protocol';
import { applyEventStreamHeaders, headerRecord, responseOrigin } from './http.ts';
import { checkResponse } from './response-check.ts';
import { SseError } from './sse-error.ts';
import { StallTimer } from './stall-timer.ts';
import { splitCredentials } from './url-credentials.ts';

/** Where the loop is: connecting (or waiting to reconnect), open, or closed for good. */
export type StreamState = 'connecting' | 'open' | 'closed';

/** What to do after a failure: reconnect after a delay, or stop with an error. */
export type RetryDecision = { retryIn: number } | { fail: SseError };

/** What the loop needs from its owner. */
export interface StreamHooks {
  /** The stream's URL; credentials in it are sent as Basic authorization, never in the request URL. */
  url: URL;
  /** Called for every attempt with the URL (without credentials) and an init whose headers are a plain object. */
  fetch: (url: URL, init: RequestInit & { headers: Record<string, string> }) => Promise<Response>;
  /** The request of one attempt; the loop adds the event-stream headers, `cache` and `signal`. */
  prepare(attempt: number): RequestInit | Promise<RequestInit>;
  /** Whether a response status opens the stream. */
  accepts(status: number): boolean;
  lastEventId: string;
  /** The initial reconnection time in milliseconds; `retry:` fields change it. */
  reconnectionTime: number;
  maxEventSize: number | undefined;
  /** Milliseconds without a byte before the attempt is abandoned; 0 disables. */
  stallTimeout: number;
  /** Most bytes of an error response's body kept for the error; 0 reads none. */
  errorBodyLimit: number;
  /** Decides after a failure; `attempt` counts failures since the stream last delivered bytes. */
  decide(error: SseError, attempt: number): RetryDecision | Promise<RetryDecision>;
  /** The stream is open; a throw or a rejection ends the attempt with that error (an SseError is kept as is). */
  onOpen(response: Response): void | Promise<void>;
  onEvent(event: ParsedEvent, origin: string): void;
  onComment?(text: string): void;
  /** A loss that does not end the stream (an event over maxEventSize). */
  onWarning?(error: SseError): void;
  /** A failure: `willRetry` says whether a reconnect follows (state is then `connecting`). */
  onError(error: SseError, willRetry: boolean): void;
  /** Called once, when the state becomes `closed`: with the final error, or undefined after close(). */
  onClose(error: SseError | undefined): void;
  /** Between reads: a promise holds reading back until the consumer has room. */
  backpressure?(): Promise<void> | undefined;
}

export class ReconnectingStream {
  readonly #hooks: StreamHooks;
  /** The URL requested: the hooks' URL without credentials. */
  readonly #url: URL;
  /** Basic authorization made of the URL's credentials, if it had any. */
  readonly #authorization: string | undefined;
  readonly #parser: EventStreamParser;
  #state: StreamState = 'connecting';
  #failures = 0;
  /** The last valid `retry:` value, once the server has sent one. */
  #serverRetry: number | undefined;
  #controller: AbortController | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** Between pause() and resume(): no request runs and none is scheduled. */
  #paused = false;
  readonly #stall: StallTimer;
  #origin = '';

  constructor(hooks: StreamHooks) {
    this.#hooks = hooks;
    const { url, authorization } = splitCredentials(hooks.url);
    this.#url = url;
    this.#authorization = authorization;
    this.#stall = new StallTimer(hooks.stallTimeout, () => {
      const message = `No byte (event or heartbeat) arrived from ${url.href} for ${hooks.stallTimeout} ms; the connection is considered dead.`;
      this.#controller?.abort(new SseError('stall', message, { url: url.href }));
    });
    this.#parser = createParser({
      lastEventId: hooks.lastEventId,
      maxEventSize: hooks.maxEventSize,
      onEvent: (event) => {
        // [spec] events are dispatched only while the stream is not CLOSED (close() may come mid-chunk).
        if (this.#state !== 'closed') hooks.onEvent(event, this.#origin);
      },
      onComment: (text) => {
        if (this.#state !== 'closed') hooks.onComment?.(text);
      },
      onRetry: (milliseconds) => {
        // [spec] a valid retry field sets the event stream's reconnection time.
        this.#serverRetry = milliseconds;
      },
      onError: (error) => hooks.onWarning?.(new SseError('event-too-large', error.message, { cause: error })),
    });
  }

  get state(): StreamState {
    return this.#state;
  }

  get lastEventId(): string {
    return this.#parser.lastEventId;
  }

  /** The reconnection time in milliseconds: the last `retry:` value, or the initial one. */
  get reconnectionTime(): number {
    return this.#serverRetry ?? this.#hooks.reconnectionTime;
  }

  /** The reconnection time the server set with a `retry:` field, if it has. */
  get serverRetry(): number | undefined {
    return this.#serverRetry;
  }

  /** A method, not a field read: the state changes behind awaits and callbacks, where narrowing would mislead. */
  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  start(): void {
    if (!this.#paused) void this.#attempt();
  }

  /**
   * Drops the running request or the pending reconnect without reporting a failure, and waits for
   * resume(). The state stays (or becomes) `connecting`. Before start(), start() then waits too.
   */
  pause(): void {
    if (this.#isClosed() || this.#paused) return;
    this.#paused = true;
    this.#state = 'connecting';
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#stall.stop();
    const controller = this.#controller;
    // The attempt sees it is no longer the current one and ends without a word.
    this.#controller = undefined;
    controller?.abort();
  }

  /** Connects again at once after pause(), sending the last event ID, with a fresh backoff count. */
  resume(): void {
    if (this.#isClosed() || !this.#paused) return;
    this.#paused = false;
    this.#failures = 0;
    this.#parser.reset();
    void this.#attempt();
  }

  /** Stops everything: the running request, the body, a pending reconnect. */
  close(): void {
    this.#finish(undefined);
  }

  /** Stops everything and reports `error` as the reason. */
  fail(error: SseError): void {
    this.#finish(error);
  }

  async #attempt(): Promise<void> {
    const controller = new AbortController();
    this.#controller = controller;
    let outcome: SseError;
    try {
      outcome = await this.#run(controller.signal);
    } catch (error) {
      outcome = this.#networkError(error);
    }
    // Closed, or paused (and maybe resumed: a newer attempt is the current one).
    if (this.#isClosed() || this.#controller !== controller) return;
    this.#stall.stop();
    // A stall aborts the request with its own error; whatever fetch threw after that is noise.
    if (controller.signal.aborted && controller.signal.reason instanceof SseError)
      outcome = controller.signal.reason;
    // An attempt that ended before its body did (onOpen refused the response) must not hold the socket.
    controller.abort();
    await this.#afterFailure(outcome);
  }

  /** Runs one request to its end; resolves with how it ended. */
  async #run(signal: AbortSignal): Promise<SseError> {
    const hooks = this.#hooks;
    let init: RequestInit;
    let headers: Headers;
    try {
      init = await hooks.prepare(this.#failures);
      headers = new Headers(init.headers);
      applyEventStreamHeaders(headers, this.#url, this.#parser.lastEventId);
      if (this.#authorization !== undefined && !headers.has('authorization'))
        headers.set('authorization', this.#authorization);
    } catch (error) {
      return new SseError(
        'request',
        `Could not prepare the request to ${this.#url.href}: ${messageOf(error)}`,
        {
          cause: error,
          url: this.#url.href,
        },
      );
    }
    this.#stall.arm();
    // A plain object, so that a custom fetch can spread it (`{ ...init.headers, Authorization }`).
    const record = headerRecord(headers);
    const response = await hooks.fetch(this.#url, { ...init, headers: record, cache: 'no-store', signal });
    const problem = await checkResponse(response, init.method ?? 'GET', { ...hooks, url: this.#url });
    if (problem !== undefined || this.#isClosed() || signal.aborted)
      return problem ?? new SseError('ended', 'closed');
    this.#origin = responseOrigin(response, this.#url);
    // [spec] announce the connection: if readyState is not CLOSED, set it to OPEN and fire `open`.
    this.#state = 'open';
    await hooks.onOpen(response);
    if (response.body !== null && this.#state === 'open') await this.#read(response.body, signal);
    // [spec] the end of the body (not a network error) reestablishes the connection.
    return new SseError('ended', `The server ended the event stream from ${this.#url.href}.`, {
      url: response.url || this.#url.href,
      status: response.status,
    });
  }

  async #read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    let finished = false;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          finished = true;
          return;
        }
        // Bytes read before a pause() belong to the dropped request.
        if (signal.aborted) return;
        this.#stall.arm();
        // Bytes flow again: the next failure starts a fresh backoff.
        this.#failures = 0;
        // [spec] interpret the body line by line (the parser keeps the unfinished line).
        this.#parser.feed(value);
        if (this.#isClosed()) return;
        const wait = this.#hooks.backpressure?.();
        if (wait !== undefined) {
          this.#stall.stop();
          await wait;
          if (this.#isClosed()) return;
          this.#stall.arm();
        }
      }
    } finally {
      // Abandoning the body frees the socket; a cancel that fails has nothing left to free.
      if (!finished) reader.cancel().catch(() => undefined);
    }
  }

  async #afterFailure(error: SseError): Promise<void> {
    this.#failures++;
    this.#state = 'connecting';
    const decision = await this.#hooks.decide(error, this.#failures);
    // close() or pause() during the decision (the retry hook may be async) wins over it.
    if (this.#isClosed() || this.#paused) return;
    if ('fail' in decision) {
      this.#finish(decision.fail);
      return;
    }
    // [spec] reestablish the connection: readyState is CONNECTING, then `error` fires, then the wait.
    this.#hooks.onError(error, true);
    if (this.#isClosed()) return;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      // [spec] if readyState is no longer CONNECTING (close() was called), do nothing.
      if (this.#state !== 'connecting') return;
      // A new stream: the unfinished line and event are dropped, the last event ID persists.
      this.#parser.reset();
      void this.#attempt();
    }, decision.retryIn);
  }

  #finish(error: SseError | undefined): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#stall.stop();
    this.#controller?.abort();
    if (error !== undefined) this.#hooks.onError(error, false);
    this.#hooks.onClose(error);
  }

  #networkError(error: unknown): SseError {
    if (error instanceof SseError) return error;
    return new SseError('network', `Network error on ${this.#url.href}: ${messageOf(error)}`, {
      cause: error,
      url: this.#url.href,
    });
  }
}

/** An error's message, with the cause's message when fetch wraps it (`fetch failed` says little). */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
