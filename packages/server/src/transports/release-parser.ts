/**
 * Frees node:http's HTTP/1 parser from a connection that now carries an
 * event stream. Node keeps a parser (about 6 KiB of native memory) on every
 * connection for the next request, but an event stream is the connection's
 * last response: the client only reads until it hangs up. Releasing it is
 * what brings an idle subscriber well under 8 KiB.
 *
 * This relies on Node internals (`_http_common.freeParser` and the server's
 * socket listeners), so it checks each of them and leaves the connection as
 * it is when anything is not as expected. What changes for the connection:
 * - bytes the client sends after its request are read and ignored (no pipelining);
 * - once the stream ends, the connection is closed instead of kept alive;
 * - it leaves the server's connection list, so `server.closeAllConnections()`
 *   is extended (on that server instance) to close released connections too.
 */
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

type FreeParser = (parser: object, req: IncomingMessage, socket: Socket) => void;
type ServerSocket = Socket & { parser?: { incoming?: unknown } | null; server?: Server };

const freeParser = loadFreeParser();
const releasedByServer = new WeakMap<Server, Set<Socket>>();
let queue: IncomingMessage[] = [];

function loadFreeParser(): FreeParser | undefined {
  try {
    const common = createRequire(import.meta.url)('_http_common') as { freeParser?: unknown };
    return typeof common.freeParser === 'function' ? (common.freeParser as FreeParser) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Schedules the release of the parser under `req` (HTTP/1.x only). Deferred
 * to the next turn of the event loop: the request handler runs inside the
 * parser, which must finish its call before it is freed.
 */
export function releaseParserLater(req: IncomingMessage, res: { _last?: boolean }): void {
  if (freeParser === undefined || req.httpVersionMajor !== 1) return;
  // Close the connection when the stream ends: no later request is parsed on it.
  res._last = true;
  if (queue.length === 0) setImmediate(releaseQueued);
  queue.push(req);
}

function releaseQueued(): void {
  const batch = queue;
  queue = [];
  for (const req of batch) release(req);
}

function listenerNamed(
  socket: Socket,
  event: string,
  name: string,
): ((...args: unknown[]) => void) | undefined {
  return socket.listeners(event).find((listener) => listener.name === name) as
    | ((...args: unknown[]) => void)
    | undefined;
}

function release(req: IncomingMessage): void {
  const socket = req.socket as ServerSocket;
  const parser = socket.parser;
  if (socket.destroyed || parser == null || parser.incoming !== req || socket.server === undefined) return;
  const onData = listenerNamed(socket, 'data', 'bound socketOnData');
  const onEnd = listenerNamed(socket, 'end', 'bound socketOnEnd');
  if (onData === undefined || onEnd === undefined) return;
  // Node's parse loop for this socket must never see it again: the parser goes back to a shared pool.
  socket.removeListener('data', onData);
  socket.removeListener('end', onEnd);
  freeParser!(parser, req, socket);
  socket.on('data', ignore);
  socket.on('end', hangUp);
  track(socket.server, socket);
}

function ignore(): void {}

/** [spec] the client hangs up to stop the stream; there is nothing to answer. */
function hangUp(this: Socket): void {
  this.destroy();
}

function track(server: Server, socket: Socket): void {
  let released = releasedByServer.get(server);
  if (released === undefined) {
    released = new Set();
    releasedByServer.set(server, released);
    const closeAll = server.closeAllConnections as Server['closeAllConnections'] | undefined;
    const sockets = released;
    server.closeAllConnections = function closeAllConnections(this: Server): void {
      // An Http2SecureServer that allows HTTP/1 has no closeAllConnections of its own.
      closeAll?.call(this);
      for (const open of sockets) open.destroy();
    };
  }
  released.add(socket);
  socket.once('close', untrack);
}

function untrack(this: ServerSocket): void {
  if (this.server !== undefined) releasedByServer.get(this.server)?.delete(this);
}
