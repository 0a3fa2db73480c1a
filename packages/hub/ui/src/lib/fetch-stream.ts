/**
 * The debugger's subscriber: fetch plus @spout/protocol's parser instead of
 * EventSource, so it can send `Authorization: Bearer`, see every event type,
 * heartbeat comments and `retry:` fields, and show exactly which
 * Last-Event-ID each reconnect sends. It follows the EventSource rules:
 * a non-200 or non-event-stream answer stops it; a lost connection retries
 * after the reconnection time (3 s, or what `retry:` set).
 */
import { createParser } from '@spout/protocol';
import { HUB_PATH } from './hub.ts';

export type DebugState = 'connecting' | 'open' | 'waiting' | 'stopped';

export type DebugEntry =
  | { kind: 'event'; at: number; id: string; type: string; data: string }
  | { kind: 'comment'; at: number; text: string }
  | { kind: 'connection'; at: number; text: string; lastEventId?: string };

export interface DebugStreamOptions {
  topics: readonly string[];
  token?: string;
  /** Sent on the first request as `Last-Event-ID` (e.g. `earliest`). */
  lastEventId?: string;
  onEntry(entry: DebugEntry): void;
  onState(state: DebugState): void;
}

export interface DebugStream {
  close(): void;
}

const DEFAULT_RETRY_MS = 3000;

export function openDebugStream(options: DebugStreamOptions): DebugStream {
  let lastEventId = options.lastEventId ?? '';
  let retryMs = DEFAULT_RETRY_MS;
  let attempt = 0;
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const note = (text: string, sentId?: string): void =>
    options.onEntry({ kind: 'connection', at: Date.now(), text, lastEventId: sentId });

  const stop = (text: string): void => {
    stopped = true;
    note(text);
    options.onState('stopped');
  };

  const connect = async (): Promise<void> => {
    attempt += 1;
    controller = new AbortController();
    const query = new URLSearchParams();
    for (const topic of options.topics) query.append('topic', topic);
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-store' };
    if (lastEventId) headers['last-event-id'] = lastEventId;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    options.onState('connecting');
    note(attempt === 1 ? 'connecting' : `reconnect #${attempt - 1}`, lastEventId || undefined);
    const response = await fetch(`${HUB_PATH}?${query}`, {
      headers,
      signal: controller.signal,
      cache: 'no-store',
    });
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !contentType.startsWith('text/event-stream')) {
      // [spec] any status other than 200, or another content type, fails the connection for good.
      const body = (await response.text()).trim().slice(0, 300);
      return stop(`hub answered ${response.status} ${response.statusText} ${body}`.trim());
    }
    note(
      `open (${response.status}, Last-Event-ID in response: ${response.headers.get('last-event-id') ?? '—'})`,
    );
    options.onState('open');
    const parser = createParser({
      lastEventId,
      onEvent: (event) => {
        lastEventId = event.lastEventId;
        options.onEntry({
          kind: 'event',
          at: Date.now(),
          id: event.lastEventId,
          type: event.type,
          data: event.data,
        });
      },
      onComment: (text) => options.onEntry({ kind: 'comment', at: Date.now(), text }),
      onRetry: (ms) => {
        retryMs = ms;
      },
    });
    const reader = response.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  };

  const run = (): void => {
    connect()
      .catch((error: unknown) => {
        if (!stopped) note(`connection error: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        if (stopped) return;
        note(`connection ended; retrying in ${retryMs} ms`);
        options.onState('waiting');
        timer = setTimeout(run, retryMs);
      });
  };
  run();

  return {
    close() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      note('closed');
      options.onState('stopped');
    },
  };
}
