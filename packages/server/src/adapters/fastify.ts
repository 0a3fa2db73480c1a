import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventMap, Session } from '../session/session.ts';
import { createSession, type HttpSessionOptions } from '../transports/node.ts';

/** The parts of a Fastify request and reply this adapter uses. */
export interface Fastify {
  request: { raw: IncomingMessage };
  reply: {
    raw: ServerResponse;
    hijack(): unknown;
    getHeaders(): Record<string, unknown>;
  };
}

/**
 * Starts an event stream in a Fastify route. The reply is hijacked (Fastify
 * no longer sends it); headers already set on it (`reply.header()`, CORS
 * plugins) are carried over.
 *
 * @example
 * app.get('/events', (request, reply) => { channel.join(sseFromFastify(request, reply)); });
 */
export function sseFromFastify<Events extends EventMap = EventMap, State = unknown>(
  request: Fastify['request'],
  reply: Fastify['reply'],
  options: HttpSessionOptions = {},
  state?: State,
): Session<Events, State> {
  reply.hijack();
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined && !reply.raw.hasHeader(name))
      reply.raw.setHeader(name, value as string | string[]);
  }
  return createSession<Events, State>(request.raw, reply.raw, options, state);
}
