import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser, type ParsedEvent } from '@spout/protocol';

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

/** An event stream read by `fetch` and the protocol's parser. */
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
  const events: ParsedEvent[] = [];
  const comments: string[] = [];
  let wake: () => void = () => {};
  const parser = createParser({
    onEvent: (event) => {
      events.push(event);
      wake();
    },
    onComment: (text) => {
      comments.push(text);
      wake();
    },
  });
  const until = (done: () => boolean) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) resolve();
        else if (finished) reject(new Error(`stream ended with ${events.length} events`));
        else wake = check;
      };
      check();
    });
  let finished = false;
  const ended = (async () => {
    try {
      const reader = response.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) parser.feed(read.value);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    } finally {
      finished = true;
      wake();
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
