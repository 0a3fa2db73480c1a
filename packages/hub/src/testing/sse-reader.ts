/**
 * A test subscriber: opens a GET over node:http and reads the event stream with the shared
 * reader (root `testing/sse-reader.ts`), so tests can await events one by one.
 */
import { request } from 'node:http';
import type { ParsedEvent } from '@spout/protocol';
import { createSseReader } from '../../../../testing/sse-reader.ts';

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
      const reader = createSseReader();
      let body = '';
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
        res.on('error', () => done());
      });
      ended.then(() => reader.end());
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
        reader.feed(chunk);
      });
      const { events } = reader;
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments: reader.comments,
        retries: reader.retries,
        ended,
        text: async () => {
          await ended;
          return body;
        },
        async waitForEvents(count, timeoutMs = 5000) {
          await reader.until(
            () => events.length >= count,
            () => `stream ended after ${events.length} of ${count} events`,
            { ms: timeoutMs, message: () => `timed out waiting for ${count} events; got ${events.length}` },
          );
          return events;
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
