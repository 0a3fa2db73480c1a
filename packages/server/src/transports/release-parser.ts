/**
 * Frees node:http's HTTP/1 parser from a connection that now carries an
 * event stream. Node keeps a parser (about 6 KiB of native memory) on every
 * connection for the next request, but an event stream is the connection's
 * last response: the client only reads until it hangs up. Releasing it is
 * what brings an idle subscriber well under 8 KiB.
 *
 * This relies on Node internals (`_http_common.freeParser` and the server's
 * socket listeners), so it checks each of them and leaves the connection as
 * it is when anything is not as expected: the stream works as usual, it only
 * costs more memory, and the process hears of it once through a warning with
 * the code {@link OWN_CONNECTION_FALLBACK} (see docs/server.md). What changes
 * for the connection:
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

/** `process.emitWarning` code of the one warning saying parsers cannot be released. */
export const OWN_CONNECTION_FALLBACK = 'SPOUT_OWN_CONNECTION_FALLBACK';

const releasedByServer = new WeakMap<Server, Set<Socket>>();
let queue: [IncomingMessage, FreeParser][] = [];
let warned = false;

/**
 * Says once per process that parsers stay on event-stream connections, and why: a Node version
 * whose internals differ from what this code expects. Nothing else changes for the streams.
 */
function warnFallback(reason: string): void {
  if (warned) return;
  warned = true;
  process.emitWarning(
    `ownConnection: ${reason}, so HTTP/1 event-stream connections keep Node's request parser: ` +
      'each idle subscriber uses about 6 KiB more memory. Streams work as usual; please report your Node version.',
    { code: OWN_CONNECTION_FALLBACK, type: 'SpoutWarning' },
  );
}

function loadHttpCommon(): unknown {
  try {
    return createRequire(import.meta.url)('_http_common');
  } catch {
    return undefined;
  }
}

/** Parser release signature: `(req, res)` of an HTTP/1.x response that became an event stream (callers check the version). */
export type ParserReleaser = (req: IncomingMessage, res: { _last?: boolean }) => void;

/**
 * A releaser over `httpCommon`, Node's internal `_http_common` module (as `require` returns it,
 * or undefined when it could not be loaded). When its `freeParser` is missing, the releaser
 * leaves every connection as it is and emits the {@link OWN_CONNECTION_FALLBACK} warning once
 * per process, at its first use. Exported so that fallback can be checked with any internals.
 */
export function createParserReleaser(httpCommon: unknown): ParserReleaser {
  const candidate = (httpCommon as { freeParser?: unknown } | null | undefined)?.freeParser;
  const freeParser = typeof candidate === 'function' ? (candidate as FreeParser) : undefined;
  const missing =
    httpCommon === undefined || httpCommon === null
      ? "Node's internal module _http_common cannot be loaded"
      : "Node's internal _http_common.freeParser is missing";
  return (req, res) => {
    if (freeParser === undefined) {
      warnFallback(missing);
      return;
    }
    // Close the connection when the stream ends: no later request is parsed on it.
    res._last = true;
    if (queue.length === 0) setImmediate(releaseQueued);
    queue.push([req, freeParser]);
  };
}

/**
 * Schedules the release of the parser under `req` (HTTP/1.x only). Deferred
 * to the next turn of the event loop: the request handler runs inside the
 * parser, which must finish its call before it is freed.
 */
export const releaseParserLater: ParserReleaser = createParserReleaser(loadHttpCommon());

function releaseQueued(): void {
  const batch = queue;
  queue = [];
  for (const [req, freeParser] of batch) release(req, freeParser);
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

function release(req: IncomingMessage, freeParser: FreeParser): void {
  const socket = req.socket as ServerSocket;
  const parser = socket.parser;
  // Gone already, or not the parser of this request any more: normal, nothing to release.
  if (socket.destroyed || parser == null || parser.incoming !== req) return;
  const onData = listenerNamed(socket, 'data', 'bound socketOnData');
  const onEnd = listenerNamed(socket, 'end', 'bound socketOnEnd');
  if (onData === undefined || onEnd === undefined || socket.server === undefined) {
    warnFallback(
      "node:http's socket listeners (socketOnData, socketOnEnd) or socket.server are not as expected",
    );
    return;
  }
  // Node's parse loop for this socket must never see it again: the parser goes back to a shared pool.
  socket.removeListener('data', onData);
  socket.removeListener('end', onEnd);
  freeParser(parser, req, socket);
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
