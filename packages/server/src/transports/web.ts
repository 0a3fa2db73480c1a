import { eventStreamHeaders, mergeHeaders } from '../http/headers.ts';
import { readLastEventId } from '../http/last-event-id.ts';
import { type EventMap, Session } from '../session/session.ts';
import type { SessionSink } from '../session/sink.ts';
import type { HttpSessionOptions } from './node.ts';

/** A session over a web `Response`, and that response to return from the handler. */
export interface WebSession<Events extends EventMap, State> {
  readonly session: Session<Events, State>;
  readonly response: Response;
}

/** Bytes the stream queues before reporting backpressure to the session. */
const HIGH_WATER_MARK = 64 * 1024;

/** Adapts a `ReadableStream` controller to the session's sink. */
class StreamSink implements SessionSink {
  session: Session<EventMap, unknown> | null = null;
  controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #done = false;

  get writableLength(): number {
    const desired = this.controller?.desiredSize ?? 0;
    return Math.max(0, HIGH_WATER_MARK - desired);
  }

  write(chunk: Uint8Array): boolean {
    if (this.#done || this.controller === null) return false;
    this.controller.enqueue(chunk);
    return (this.controller.desiredSize ?? 0) > 0;
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.controller?.close();
  }

  destroy(): void {
    if (this.#done) return;
    this.#done = true;
    this.controller?.error(new Error('event stream closed by the server'));
  }

  /** The consumer went away (cancelled the body, or the request was aborted). */
  cancelled(): void {
    this.#done = true;
    this.session?.disconnected();
  }
}

/**
 * Starts an event stream as a web `Response` with a `ReadableStream` body,
 * for fetch-style runtimes (Hono, Next.js route handlers, Deno, Bun, ...).
 * Return `response` from the handler: its headers go out at once.
 *
 * Disconnects are seen through the body being cancelled and `request.signal`.
 *
 * @example
 * export function GET(request: Request) {
 *   const { session, response } = createWebSession(request);
 *   channel.join(session);
 *   return response;
 * }
 */
export function createWebSession<Events extends EventMap = EventMap, State = unknown>(
  request: Request,
  options: HttpSessionOptions = {},
  state?: State,
): WebSession<Events, State> {
  // The runtime picks the HTTP version; connection-specific headers are its business.
  const headers = mergeHeaders(eventStreamHeaders(2), options.headers);
  const sink = new StreamSink();
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        sink.controller = controller;
      },
      pull() {
        sink.session?.drained();
      },
      cancel() {
        sink.cancelled();
      },
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
  const lastEventId = readLastEventId(
    request.headers.get('last-event-id'),
    request.url,
    options.lastEventIdParam,
  );
  const session = new Session<Events, State>(sink, options, { lastEventId, state });
  sink.session = session as Session<EventMap, unknown>;
  const signal = request.signal;
  if (signal.aborted) sink.cancelled();
  else signal.addEventListener('abort', () => sink.cancelled(), { once: true });
  return { session, response: new Response(body, { status: 200, headers }) };
}
