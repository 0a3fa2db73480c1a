/**
 * A test subscriber: opens a GET over node:http and parses the event stream with
 * @spout/protocol, so tests can await events one by one.
 */
import { request } from 'node:http';
import { createParser, type ParsedEvent } from '@spout/protocol';

/** An open event stream in a test. */
export interface TestStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every event received so far. */
  events: ParsedEvent[];
  /** Comments received so far (heartbeats). */
  comments: string[];
  /** Retry values received. */
  retries: number[];
  /** Resolves when at least `count` events arrived; rejects after `timeoutMs`. */
  waitForEvents(count: number, timeoutMs?: number): Promise<ParsedEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** The body, for non-stream answers. */
  text(): Promise<string>;
  close(): void;
}

/** Opens `url` with GET and the given headers. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<TestStream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const events: ParsedEvent[] = [];
      const comments: string[] = [];
      const retries: number[] = [];
      let body = '';
      let waiters: (() => void)[] = [];
      const notify = (): void => {
        const current = waiters;
        waiters = [];
        for (const waiter of current) waiter();
      };
      const parser = createParser({
        onEvent: (event) => {
          events.push(event);
          notify();
        },
        onComment: (text) => comments.push(text),
        onRetry: (ms) => retries.push(ms),
      });
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      let isEnded = false;
      ended.then(() => {
        isEnded = true;
        notify();
      });
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
        parser.feed(chunk);
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        retries,
        ended,
        text: async () => {
          await ended;
          return body;
        },
        waitForEvents(count, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const timer = setTimeout(
              () => fail(new Error(`timed out waiting for ${count} events; got ${events.length}`)),
              timeoutMs,
            );
            const check = (): void => {
              if (events.length >= count) {
                clearTimeout(timer);
                done(events);
              } else if (isEnded) {
                clearTimeout(timer);
                fail(new Error(`stream ended after ${events.length} of ${count} events`));
              } else waiters.push(check);
            };
            check();
          });
        },
        close: () => {
          req.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end();
  });
}
