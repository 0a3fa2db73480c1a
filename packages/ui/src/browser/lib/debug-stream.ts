/**
 * The debugger's subscriber: @spout/client's `connect()` instead of the
 * browser's EventSource, so it can send `Authorization: Bearer`, see every
 * event type and heartbeat comment, and report exactly which Last-Event-ID
 * each reconnect sends. Reconnects back off with jitter; a refusal (401, 403,
 * 400, a 204 or a wrong content type) stops it with the hub's answer.
 */
import { connect, type SseError } from '@spout/client';
import { HUB_PATH } from './hub.ts';

export type DebugState = 'connecting' | 'open' | 'waiting' | 'stopped';

export type DebugEntry =
  | { kind: 'event'; at: number; id: string; type: string; data: string }
  | { kind: 'comment'; at: number; text: string }
  | { kind: 'connection'; at: number; text: string; lastEventId?: string | undefined };

export interface DebugStreamOptions {
  topics: readonly string[];
  token?: string | undefined;
  /** Sent on the first request as `Last-Event-ID` (e.g. `earliest`). */
  lastEventId?: string | undefined;
  onEntry(entry: DebugEntry): void;
  onState(state: DebugState): void;
}

export interface DebugStream {
  close(): void;
}

function describe(error: SseError): string {
  if (error.status !== undefined) {
    return `hub answered ${error.status} ${error.statusText ?? ''} ${(error.body ?? '').trim().slice(0, 300)}`.trim();
  }
  return error.message;
}

export function openDebugStream(options: DebugStreamOptions): DebugStream {
  const query = new URLSearchParams();
  for (const topic of options.topics) query.append('topic', topic);
  const note = (text: string, lastEventId?: string): void =>
    options.onEntry({ kind: 'connection', at: Date.now(), text, lastEventId: lastEventId || undefined });
  let requests = 0;
  let closedByUser = false;

  const connection = connect(`${HUB_PATH}?${query}`, {
    lastEventId: options.lastEventId,
    // Only what the token field grants: never a cookie another page set.
    credentials: 'omit',
    // A debugger keeps watching from a background tab: the events it missed would be its whole point.
    openWhenHidden: true,
    headers: ({ lastEventId }): Record<string, string> => {
      requests += 1;
      options.onState('connecting');
      note(requests === 1 ? 'connecting' : `reconnect #${requests - 1}`, lastEventId);
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      return headers;
    },
    onOpen: (response) => {
      note(
        `open (${response.status}, Last-Event-ID in response: ${response.headers.get('last-event-id') ?? '—'})`,
      );
      options.onState('open');
    },
    onComment: (text) => options.onEntry({ kind: 'comment', at: Date.now(), text }),
    onError: (error) => {
      // A final error is told once, when the stream stops; losses the stream survives are told here.
      const survives = error.retryable || error.reason === 'event-too-large' || error.reason === 'listener';
      if (!closedByUser && survives) note(`connection error: ${describe(error)}`);
    },
    reconnect: {
      shouldRetry: ({ delay }) => {
        note(`retrying in ${Math.round(delay)} ms`);
        options.onState('waiting');
        return undefined;
      },
    },
  });

  (async () => {
    for await (const event of connection) {
      options.onEntry({
        kind: 'event',
        at: Date.now(),
        id: event.lastEventId,
        type: event.type,
        data: event.data,
      });
    }
  })().then(
    () => {
      if (!closedByUser) note('the hub ended the stream');
      options.onState('stopped');
    },
    (error: SseError) => {
      note(`stopped: ${describe(error)}`);
      options.onState('stopped');
    },
  );

  return {
    close() {
      if (closedByUser) return;
      closedByUser = true;
      connection.close();
      note('closed');
      options.onState('stopped');
    },
  };
}
