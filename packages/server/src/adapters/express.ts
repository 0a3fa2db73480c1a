import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventMap, Session } from '../session/session.ts';
import { createSession, type HttpSessionOptions } from '../transports/node.ts';

/**
 * Starts an event stream in an Express (4 or 5) route: Express requests and
 * responses are node:http ones, so this is {@link createSession}. Headers set
 * earlier with `res.set()` / `res.setHeader()` (CORS, cookies) are kept.
 *
 * Keep compression middleware off this route (or let it skip
 * `text/event-stream`): a compressor buffers the stream.
 *
 * @example
 * app.get('/events', (req, res) => channel.join(sseFromExpress(req, res)));
 */
export function sseFromExpress<Events extends EventMap = EventMap, State = unknown>(
  req: IncomingMessage,
  res: ServerResponse,
  options?: HttpSessionOptions,
  state?: State,
): Session<Events, State> {
  return createSession<Events, State>(req, res, options, state);
}
