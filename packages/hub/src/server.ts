/**
 * Serving a hub: HTTP/1.1, or TLS with ALPN h2 and http/1.1.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { DEFAULTS } from './config/settings.ts';
import type { Hub } from './hub/hub.ts';

/** Where and how to listen. */
export interface ListenOptions {
  /** Default `127.0.0.1`. */
  host?: string | undefined;
  /** Default 3000; 0 picks a free port. */
  port?: number | undefined;
  /** PEM certificate chain; with `key`, the hub serves TLS with HTTP/2 and HTTP/1.1. */
  cert?: string | Buffer | undefined;
  /** PEM private key. */
  key?: string | Buffer | undefined;
  /** Milliseconds to wait for connections to finish at shutdown before cutting them. Default 5,000. */
  shutdownTimeoutMs?: number | undefined;
}

/** A hub listening on a port. */
export interface RunningHub {
  readonly hub: Hub;
  readonly server: Server | Http2SecureServer;
  /** Base URL, e.g. `https://127.0.0.1:8443`. */
  readonly url: string;
  /** The hub's URL: `${url}/.well-known/mercure`. */
  readonly hubUrl: string;
  /** Graceful shutdown: stop accepting, close subscribers with a retry hint, flush the store. */
  close(): Promise<void>;
}

function createServerFor(
  hub: Hub,
  options: ListenOptions,
): { server: Server | Http2SecureServer; secure: boolean } {
  if (options.cert === undefined && options.key === undefined) {
    const server = createHttpServer(hub.handle);
    // Subscriptions are long-lived; per-request timeouts apply to reading the request only.
    server.keepAliveTimeout = 5000;
    server.on('clientError', answerClientError);
    return { server, secure: false };
  }
  if (options.cert === undefined || options.key === undefined) {
    throw new RangeError('TLS needs both cert and key (settings cert, key)');
  }
  // [spec] the connection SHOULD use HTTP/2: ALPN offers h2 and falls back to http/1.1.
  const server = createSecureServer({ cert: options.cert, key: options.key, allowHTTP1: true }, hub.handle);
  return { server, secure: true };
}

/** What Node's HTTP parser refused, in words a client developer can act on. */
function clientErrorAnswer(error: NodeJS.ErrnoException): { status: number; reason: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return { status: 431, reason: 'the request headers are larger than this server accepts (16 KiB in all)' };
  }
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, reason: 'the request took too long to arrive' };
  return { status: 400, reason: `the request is not valid HTTP/1.1 (${error.code ?? 'parse error'})` };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Answers a request Node's parser refused with a one-line reason: Node's own answer has an empty body,
 * which leaves the client guessing. Nothing is written to a connection that is already gone.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason } = clientErrorAnswer(error);
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Cuts the HTTP/1 connections still open after the shutdown timeout. */
function cutConnections(server: Server | Http2SecureServer, hub: Hub): void {
  const closeAll = (server as Partial<Server>).closeAllConnections;
  if (typeof closeAll !== 'function') return;
  try {
    closeAll.call(server);
  } catch (error) {
    // A patched closeAllConnections (as @spout/server installs) must not stop the shutdown.
    hub.logger.warn({ err: error }, 'closing the remaining connections failed');
  }
}

/** Starts serving `hub`; resolves once the port is bound. */
export async function listen(hub: Hub, options: ListenOptions = {}): Promise<RunningHub> {
  const { server, secure } = createServerFor(hub, options);
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULTS.port, options.host ?? DEFAULTS.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => hub.logger.error({ err: error }, 'server error'));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${secure ? 'https' : 'http'}://${host}:${address.port}`;
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    // The listener stays open while the hub shuts down: a client arriving now is told 503 with
    // Retry-After (the hub refuses new work once closing) rather than finding the port closed.
    await hub.close();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of sessions) session.close();
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeout).unref(),
    );
    await Promise.race([stopped, timeout]);
    cutConnections(server, hub);
    for (const session of sessions) session.destroy();
  };
  return {
    hub,
    server,
    url,
    hubUrl: `${url}/.well-known/mercure`,
    close: () => {
      closing ??= close();
      return closing;
    },
  };
}
