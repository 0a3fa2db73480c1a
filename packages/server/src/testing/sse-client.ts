import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedEvent } from '@spout/protocol';
import { createSseReader } from '../../../../testing/sse-reader.ts';

/** A server on a free loopback port, for tests. */
export interface TestServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1, port 0. */
export async function startHttpServer(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  return listen(server);
}

/** Listens on a free loopback port and returns its URL and a closer that drops open streams. */
export function listen(server: http.Server): Promise<TestServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** An event stream read by `fetch` and the shared reader (root `testing/sse-reader.ts`). */
export interface StreamReader {
  readonly response: Response;
  readonly events: ParsedEvent[];
  readonly comments: string[];
  /** Resolves once `count` events in total have arrived. */
  waitForEvents(count: number): Promise<ParsedEvent[]>;
  /** Resolves once `count` comments in total have arrived. */
  waitForComments(count: number): Promise<string[]>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  /** Aborts the request (a client disconnect). */
  abort(): void;
}

/** Opens `url` with fetch and parses the body as it arrives. */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<StreamReader> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  const reader = createSseReader();
  const { events, comments } = reader;
  const until = (done: () => boolean) =>
    reader.until(done, () => `stream ended with ${events.length} events`);
  const ended = (async () => {
    try {
      const body = response.body!.getReader();
      for (let read = await body.read(); !read.done; read = await body.read()) reader.feed(read.value);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      reader.end();
    }
  })();
  return {
    response,
    events,
    comments,
    waitForEvents: async (count) => {
      await until(() => events.length >= count);
      return events.slice(0, count);
    },
    waitForComments: async (count) => {
      await until(() => comments.length >= count);
      return comments.slice(0, count);
    },
    ended,
    abort: () => abort.abort(),
  };
}
