/**
 * `fetchEventSource(url, init)` with the API of @microsoft/fetch-event-source, on connect(): code written for
 * it switches by changing the import. The differences that remain are listed in docs/migrating.md.
 */
import { connect } from '../client/connection.ts';
import type { SseEvent } from '../client/types.ts';
import { SseError } from '../core/sse-error.ts';

/** A message as fetch-event-source delivers it. */
export interface EventSourceMessage {
  /** The last event ID in force (fetch-event-source gave the event's own `id:`, `''` without one). */
  id: string;
  /** The `event:` field; `''` for the default type `message`. */
  event: string;
  data: string;
  /** The event's own `retry:` value, when it had one. */
  retry?: number;
}

/** The options of {@link fetchEventSource}: fetch's, plus the callbacks of fetch-event-source. */
export interface FetchEventSourceInit extends Omit<RequestInit, 'headers' | 'body'> {
  headers?: Record<string, string>;
  /** Sent again on every reconnect. */
  body?: Exclude<BodyInit, ReadableStream>;
  /** Called with each response that opens the stream (2xx, `text/event-stream`); a throw goes to onerror. */
  onopen?: (response: Response) => void | Promise<void>;
  /** Called for every event, whatever its type; a throw goes to onerror (which may throw to stop). */
  onmessage?: (message: EventSourceMessage) => void;
  /** Called when the server ends the stream; the promise then resolves, unless onclose throws (a retry, through onerror). */
  onclose?: () => void;
  /** Called with every error: return a delay in ms (or nothing, for the server's `retry:` or 1 s) to retry, throw to stop. */
  onerror?: (error: unknown) => unknown;
  /** Keep the connection while the page is hidden. Default false. */
  openWhenHidden?: boolean;
  fetch?: typeof fetch;
}

/** fetch-event-source's interval when neither onerror nor the server names one. */
const DEFAULT_RETRY_INTERVAL = 1000;

/**
 * Streams `url` until the server ends the stream (resolves), `init.signal` aborts (resolves), or
 * `onerror` throws (rejects with what it threw).
 */
export function fetchEventSource(url: string | URL, init: FetchEventSourceInit = {}): Promise<void> {
  const { onopen, onmessage, onclose, onerror, method, headers, body, credentials, fetch } = init;
  const signal = init.signal ?? undefined;
  /** What onclose threw: the end of the stream then counts as a failure to retry. */
  let closeError: { error: unknown } | undefined;
  /** What onerror threw: the promise rejects with it. */
  let fatal: { error: unknown } | undefined;
  const decide = (error: SseError): number | boolean => {
    if (error.reason === 'ended' && closeError === undefined) return false;
    const reported = closeError?.error ?? (error.reason === 'rejected' ? error.cause : error);
    closeError = undefined;
    const interval = report(reported);
    // Not a number: retry after the policy's delay, which is the server's retry: or 1 s.
    return fatal === undefined && (typeof interval === 'number' ? interval : true);
  };
  /** Passes an error to onerror; a throw there is final. */
  const report = (error: unknown): unknown => {
    try {
      return onerror?.(error);
    } catch (thrown) {
      fatal = { error: thrown };
      return undefined;
    }
  };
  const stream = connect(url, {
    method,
    headers,
    body,
    credentials,
    signal,
    fetch,
    openWhenHidden: init.openWhenHidden,
    // connect() has already checked status and Content-Type, as fetch-event-source's default onopen did.
    onOpen: onopen,
    onMessage: (event) => {
      try {
        onmessage?.(messageOf(event));
      } catch (error) {
        // fetch-event-source hands it to onerror, where a throw stops everything.
        report(error);
        if (fatal !== undefined) stream.close();
      }
    },
    onClose: () => {
      try {
        onclose?.();
      } catch (error) {
        closeError = { error };
      }
    },
    // A fixed interval: the server's retry:, else 1 s, as fetch-event-source waits.
    reconnect: {
      minDelay: 0,
      baseDelay: DEFAULT_RETRY_INTERVAL,
      factor: 1,
      jitter: 'none',
      shouldRetry: ({ error }) => decide(error),
    },
  });
  return stream.done.then(
    () => {
      if (fatal !== undefined) throw fatal.error;
    },
    (error: unknown) => {
      if (fatal !== undefined) throw fatal.error;
      // The server ended the stream and onclose accepted it: the normal end.
      if (!(error instanceof SseError && error.reason === 'ended')) throw error;
    },
  );
}

function messageOf(event: SseEvent<string, unknown>): EventSourceMessage {
  const message: EventSourceMessage = {
    id: event.lastEventId,
    event: event.type === 'message' ? '' : event.type,
    data: String(event.data),
  };
  if (event.retry !== undefined) message.retry = event.retry;
  return message;
}
