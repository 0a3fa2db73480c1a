/**
 * The WHATWG `EventSource` interface (HTML, "Server-sent events", 9.2), on fetch and the
 * @spout/protocol parser. Behaves like the browser's own, in Node (>=22.13) and in browsers.
 */
import { resolveUrl } from '../core/http.ts';
import { ReconnectingStream } from '../core/reconnecting-stream.ts';
import type { SseError } from '../core/sse-error.ts';
import { EventSourceErrorEvent } from './error-event.ts';
import { type EventHandler, EventHandlerSlots } from './event-handler.ts';

/** What the `fetch` option receives: the request of one attempt, as the `eventsource` package (v4) passes it. */
export interface EventSourceFetchInit extends RequestInit {
  /** `Accept`, `Cache-Control`, `Last-Event-ID` and `Authorization` as set for this attempt; spread it to add yours. */
  headers: Record<string, string>;
  mode: RequestMode;
  credentials: RequestCredentials;
  cache: RequestCache;
  redirect: RequestRedirect;
  signal: AbortSignal;
}

/** The constructor's second argument. */
export interface EventSourceInit {
  /** Send cookies and credentials with cross-origin requests (CORS "include"). */
  withCredentials?: boolean;
  /**
   * The fetch to use for every connection attempt, as in the `eventsource` package (v4):
   * `fetch(url, init)`, e.g. to add headers or go through a proxy. Default: the global `fetch`, looked up per attempt.
   *
   * @example
   * new EventSource(url, { fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, Authorization: 'Bearer …' } }) });
   */
  fetch?: (url: URL, init: EventSourceFetchInit) => Promise<Response>;
}

/** [spec] the reconnection time starts at an implementation-defined value; browsers use about 3 seconds. */
export const DEFAULT_RECONNECTION_TIME = 3000;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** Failures after which the spec reestablishes the connection; all others fail it. */
const REESTABLISHING: ReadonlySet<SseError['reason']> = new Set(['network', 'ended']);

/**
 * A drop-in `EventSource`: `new EventSource(url, { withCredentials })`, `onopen`, `onmessage`,
 * `onerror`, `addEventListener(type, …)` for named events, `readyState`, `close()`.
 *
 * @example
 * const source = new EventSource('http://127.0.0.1:8080/events');
 * source.onmessage = (event) => console.log(event.data, event.lastEventId);
 * source.addEventListener('price', (event) => console.log('price', event.data));
 */
export class EventSource extends EventTarget {
  // Defined below the class as Web IDL constants: read-only, non-configurable, enumerable.
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSED: 2;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSED: 2;

  readonly #url: URL;
  readonly #withCredentials: boolean;
  readonly #handlers = new EventHandlerSlots(this);
  readonly #stream: ReconnectingStream;
  #readyState: 0 | 1 | 2 = CONNECTING;

  constructor(...args: [url: string | URL, eventSourceInitDict?: EventSourceInit]) {
    // [webidl] a constructor called with fewer arguments than it requires throws a TypeError.
    if ((args as unknown[]).length === 0) {
      throw new TypeError("Failed to construct 'EventSource': 1 argument required, but only 0 present.");
    }
    super();
    const [url, eventSourceInitDict] = args;
    // [spec] 3-5. Parse url (a USVString: String(url)) relative to the document's base URL;
    // failure throws a "SyntaxError" DOMException.
    this.#url = parseUrl(String(url));
    // [spec] 6-7. withCredentials chooses the "Use Credentials" CORS mode.
    this.#withCredentials = Boolean(eventSourceInitDict?.withCredentials);
    const credentials: RequestCredentials = this.#withCredentials ? 'include' : 'same-origin';
    const customFetch = eventSourceInitDict?.fetch;
    this.#stream = new ReconnectingStream({
      url: this.#url,
      fetch: (input, init) =>
        customFetch === undefined
          ? globalThis.fetch(input, init)
          : customFetch(input, init as EventSourceFetchInit),
      // [spec] 8-11. A potential-CORS request; Accept, no-store and Last-Event-ID are added by the loop.
      prepare: () => ({ method: 'GET', mode: 'cors', credentials, redirect: 'follow' }),
      // [spec] 15.3. Only a 200 opens the stream.
      accepts: (status) => status === 200,
      lastEventId: '',
      reconnectionTime: DEFAULT_RECONNECTION_TIME,
      maxEventSize: undefined,
      stallTimeout: 0,
      errorBodyLimit: 0,
      // [spec] 15.2 and 14: a network error or the end of the body reestablishes the connection
      // after the reconnection time; 15.3: anything else fails it.
      decide: (error) =>
        REESTABLISHING.has(error.reason) ? { retryIn: this.#stream.reconnectionTime } : { fail: error },
      onOpen: () => {
        // [spec] announce the connection.
        this.#readyState = OPEN;
        this.dispatchEvent(new Event('open'));
      },
      onEvent: (event, origin) => {
        // [spec] dispatch a MessageEvent with data, origin of the final URL, and lastEventId.
        this.dispatchEvent(
          new MessageEvent(event.type, { data: event.data, origin, lastEventId: event.lastEventId }),
        );
      },
      onError: (error, willRetry) => {
        // [spec] reestablish: readyState CONNECTING then `error`; fail: readyState CLOSED then `error`.
        this.#readyState = willRetry ? CONNECTING : CLOSED;
        // The status is the code of a refused response, not of a stream that opened and then ended.
        const code = error.reason === 'ended' ? undefined : error.status;
        this.dispatchEvent(new EventSourceErrorEvent('error', { message: error.message, code }));
      },
      onClose: () => {
        this.#readyState = CLOSED;
      },
    });
    // [spec] 15. Fetch the request.
    this.#stream.start();
  }

  /** [spec] The serialized URL of the stream, credentials included (requests carry them as Basic authorization). */
  get url(): string {
    return this.#url.href;
  }

  /** Whether credentials are sent with cross-origin requests. */
  get withCredentials(): boolean {
    return this.#withCredentials;
  }

  /** CONNECTING (0), OPEN (1) or CLOSED (2). */
  get readyState(): number {
    return this.#readyState;
  }

  get onopen(): EventHandler {
    return this.#handlers.get('open');
  }
  set onopen(handler: EventHandler) {
    this.#handlers.set('open', handler);
  }

  get onmessage(): EventHandler<MessageEvent> {
    return this.#handlers.get('message');
  }
  set onmessage(handler: EventHandler<MessageEvent>) {
    this.#handlers.set('message', handler);
  }

  get onerror(): EventHandler<EventSourceErrorEvent> {
    return this.#handlers.get('error');
  }
  set onerror(handler: EventHandler<EventSourceErrorEvent>) {
    this.#handlers.set('error', handler);
  }

  // Typed listeners as lib.dom declares them: named events are MessageEvents.
  override addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: (this: EventSource, event: MessageEvent) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(
    type: string,
    listener: unknown,
    options?: boolean | AddEventListenerOptions,
  ): void {
    super.addEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  override removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: (this: EventSource, event: MessageEvent) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(
    type: string,
    listener: unknown,
    options?: boolean | EventListenerOptions,
  ): void {
    super.removeEventListener(type, listener as EventListenerOrEventListenerObject | null, options);
  }

  /**
   * [spec] Aborts any fetch for this EventSource (including a reconnect waiting to happen) and sets
   * readyState to CLOSED. No event fires.
   */
  close(): void {
    // The stream's onClose sets readyState to CLOSED, synchronously.
    this.#stream.close();
  }

  get [Symbol.toStringTag](): string {
    return 'EventSource';
  }
}

/** The events of an EventSource, as lib.dom types them. */
export interface EventSourceEventMap {
  open: Event;
  message: MessageEvent;
  error: EventSourceErrorEvent;
}

// [webidl] 3.7.5 constants: a property of the interface object and of the interface prototype object,
// { [[Writable]]: false, [[Enumerable]]: true, [[Configurable]]: false }.
for (const [name, value] of [
  ['CONNECTING', CONNECTING],
  ['OPEN', OPEN],
  ['CLOSED', CLOSED],
] as const) {
  const constant = { value, writable: false, enumerable: true, configurable: false };
  Object.defineProperty(EventSource, name, constant);
  Object.defineProperty(EventSource.prototype, name, constant);
}

// Libraries detect with this symbol (the `eventsource` package defines it) that the `fetch` option is honoured.
Object.defineProperty(EventSource, Symbol.for('eventsource.supports-fetch-override'), { value: true });

function parseUrl(url: string): URL {
  try {
    return resolveUrl(url);
  } catch {
    throw new DOMException(`Failed to construct 'EventSource': the URL '${url}' is invalid.`, 'SyntaxError');
  }
}
