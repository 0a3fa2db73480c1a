import type { EventMap } from '../session/session.ts';
import type { HttpSessionOptions } from '../transports/node.ts';
import { createWebSession, type WebSession } from '../transports/web.ts';

/** The part of a Hono context this adapter uses. */
export interface HonoContext {
  req: { raw: Request };
}

/**
 * Starts an event stream in a Hono handler (any runtime): return `response`.
 * Unlike Hono's own `streamSSE`, it never sets `Transfer-Encoding` (invalid on HTTP/2).
 *
 * @example
 * app.get('/events', (c) => {
 *   const { session, response } = sseFromHono(c);
 *   channel.join(session);
 *   return response;
 * });
 */
export function sseFromHono<Events extends EventMap = EventMap, State = unknown>(
  c: HonoContext,
  options?: HttpSessionOptions,
  state?: State,
): WebSession<Events, State> {
  return createWebSession<Events, State>(c.req.raw, options, state);
}
