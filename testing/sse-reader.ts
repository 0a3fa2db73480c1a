/**
 * The one event-stream reader of the tests: bytes go in (from node:http, fetch, HTTP/2 or a sink),
 * @spout/protocol's parser reads them, and tests await what arrived. Transport helpers
 * (`server/src/testing/sse-client.ts`, `hub/src/testing/sse-reader.ts`) only feed it.
 */
import { createParser, type ParsedEvent } from '@spout/protocol';

/** What a stream delivered so far, and ways to wait for more. */
export interface SseReader {
  /** Every event received so far. */
  readonly events: ParsedEvent[];
  /** Comments received so far (heartbeats). */
  readonly comments: string[];
  /** Retry values received. */
  readonly retries: number[];
  /** Whether the stream has ended (`end()` was called). */
  readonly isEnded: boolean;
  /** Parses a chunk of the stream's body. */
  feed(chunk: Uint8Array): void;
  /** Marks the stream ended: pending waits that are not yet met fail. */
  end(): void;
  /**
   * Resolves once `done()` holds, checked after each event or comment. Rejects with
   * `endedMessage()` if the stream ends first, or with `timeoutMessage()` after `timeoutMs` (when given).
   */
  until(
    done: () => boolean,
    endedMessage: () => string,
    timeout?: { ms: number; message: () => string },
  ): Promise<void>;
}

/** A fresh reader with nothing received. */
export function createSseReader(): SseReader {
  const events: ParsedEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  let isEnded = false;
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
    onComment: (text) => {
      comments.push(text);
      notify();
    },
    onRetry: (ms) => retries.push(ms),
  });
  return {
    events,
    comments,
    retries,
    get isEnded() {
      return isEnded;
    },
    feed: (chunk) => parser.feed(chunk),
    end: () => {
      isEnded = true;
      notify();
    },
    until: (done, endedMessage, timeout) =>
      new Promise((resolve, reject) => {
        const timer =
          timeout === undefined
            ? undefined
            : setTimeout(() => reject(new Error(timeout.message())), timeout.ms);
        const check = (): void => {
          if (done()) {
            clearTimeout(timer);
            resolve();
          } else if (isEnded) {
            clearTimeout(timer);
            reject(new Error(endedMessage()));
          } else waiters.push(check);
        };
        check();
      }),
  };
}
