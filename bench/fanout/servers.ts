/**
 * The three broadcasters under test, each a node:http server with one
 * channel: Spout's Channel, better-sse's Channel, and a minimal hand-written
 * broadcaster (a Set of responses, one `res.write()` per event per subscriber).
 */
import http from 'node:http';
import { Channel, createSession } from '@spout/server';
import { createSession as createBetterSession, createChannel } from 'better-sse';

/** A running broadcaster: its server and how to publish one event's data to all subscribers. */
export interface Broadcaster {
  readonly server: http.Server;
  readonly subscribers: () => number;
  broadcast(data: string): void;
}

const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

function handWritten(): Broadcaster {
  const clients = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    res.writeHead(200, HEADERS);
    res.flushHeaders();
    clients.add(res);
    req.on('close', () => clients.delete(res));
  });
  return {
    server,
    subscribers: () => clients.size,
    broadcast(data) {
      const event = `data: ${data}\n\n`;
      for (const res of clients) res.write(event);
    },
  };
}

/** Spout's Channel; `ownConnection: false` shows what writing through the ServerResponse costs. */
function spout(ownConnection = true): Broadcaster {
  const channel = new Channel();
  // One options object for all sessions; heartbeats on (default interval) as in production.
  const options = { ownConnection };
  const server = http.createServer((req, res) => {
    channel.join(createSession(req, res, options));
  });
  return {
    server,
    subscribers: () => channel.size,
    broadcast(data) {
      void channel.broadcastEvent({ data });
    },
  };
}

function betterSse(): Broadcaster {
  const channel = createChannel();
  const options = { serializer: String };
  const server = http.createServer(async (req, res) => {
    channel.register(await createBetterSession(req, res, options));
  });
  return {
    server,
    subscribers: () => channel.sessionCount,
    broadcast(data) {
      channel.broadcast(data);
    },
  };
}

/** The broadcasters by name, in the order they are reported. */
export const BROADCASTERS = {
  spout: () => spout(),
  'spout, ownConnection: false': () => spout(false),
  'better-sse': betterSse,
  'hand-written': handWritten,
} as const;

export type BroadcasterName = keyof typeof BROADCASTERS;
