/**
 * Subscription responses as @spout/server sessions.
 */
import type { ServerResponse } from 'node:http';
import { createSession, type HttpSessionOptions } from '@spout/server';
import type { OpenStream } from './context.ts';

/** Opens subscription streams with the hub's heartbeat and per-subscriber byte cap. */
export function sessionOpener(heartbeatMs: number, maxBufferedBytes: number): OpenStream {
  // One options object for every session: @spout/server validates it once and shares the result.
  const options: HttpSessionOptions = { heartbeatInterval: heartbeatMs, maxBufferedBytes };
  return (req, res, headers) => {
    const { 'cache-control': cacheControl, ...others } = headers;
    // Headers set here are merged into the stream's own by writeHead.
    for (const [name, value] of Object.entries(others)) (res as ServerResponse).setHeader(name, value);
    // Cache-Control overrides the stream's own, so it needs options of its own (rare: query tokens).
    if (cacheControl === undefined) return createSession(req, res, options);
    return createSession(req, res, { ...options, headers: { 'cache-control': cacheControl } });
  };
}
