/**
 * A thin watcher over the browser's own EventSource for the demo pages: it
 * reports the connection state, logs every reconnect with the Last-Event-ID
 * the browser sends, and can drop the connection and resume from the last id.
 */
import { subscribeUrl } from './hub.ts';

export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'dropped' | 'closed';

export interface StreamEvent {
  id: string;
  type: string;
  data: string;
  /** Milliseconds since the epoch when the page received it. */
  receivedAt: number;
}

export interface StreamLogEntry {
  at: number;
  text: string;
}

export interface StreamOptions {
  topics: readonly string[];
  /** Named event types to listen for besides `message`. */
  types?: readonly string[];
  withCredentials?: boolean;
  /** Start from here instead of live (e.g. `earliest`). */
  lastEventId?: string;
  onEvent(event: StreamEvent): void;
  onState(state: StreamState, log: readonly StreamLogEntry[]): void;
}

export interface StreamHandle {
  /** The id of the last event received: what a reconnect sends as Last-Event-ID. */
  readonly lastEventId: string;
  /** Closes the connection now and reopens it after `pauseMs` from the last id received, as a new EventSource would after a network cut. */
  drop(pauseMs: number): void;
  close(): void;
}

const MAX_LOG = 50;

export function openStream(options: StreamOptions): StreamHandle {
  const log: StreamLogEntry[] = [];
  let lastEventId = options.lastEventId ?? '';
  let source: EventSource | undefined;
  let state: StreamState = 'connecting';
  let resumeTimer: ReturnType<typeof setTimeout> | undefined;

  const note = (text: string): void => {
    log.unshift({ at: Date.now(), text });
    log.length = Math.min(log.length, MAX_LOG);
  };
  const setState = (next: StreamState): void => {
    state = next;
    options.onState(state, log);
  };
  const onMessage = (event: MessageEvent<string>): void => {
    lastEventId = event.lastEventId;
    options.onEvent({ id: event.lastEventId, type: event.type, data: event.data, receivedAt: Date.now() });
  };

  const connect = (resumeFrom: string): void => {
    const url = subscribeUrl(options.topics, { lastEventId: resumeFrom });
    const es = new EventSource(url, { withCredentials: options.withCredentials ?? false });
    source = es;
    es.onopen = () => {
      note('open');
      setState('open');
    };
    es.onerror = () => {
      if (es.readyState === EventSource.CLOSED) {
        note('closed by the hub (refused or failed); not reconnecting');
        setState('closed');
        return;
      }
      // [spec] the browser reconnects by itself and sends the last event ID it saw.
      note(`connection lost; the browser reconnects with Last-Event-ID: ${lastEventId || '(none)'}`);
      setState('reconnecting');
    };
    es.addEventListener('message', onMessage);
    for (const type of options.types ?? []) es.addEventListener(type, onMessage as EventListener);
  };

  connect(lastEventId);
  options.onState(state, log);

  return {
    get lastEventId() {
      return lastEventId;
    },
    drop(pauseMs) {
      source?.close();
      clearTimeout(resumeTimer);
      note(`connection dropped by the page; resuming in ${Math.round(pauseMs / 100) / 10}s`);
      setState('dropped');
      resumeTimer = setTimeout(() => {
        note(`reconnecting with lastEventID=${lastEventId || '(none)'}`);
        setState('connecting');
        connect(lastEventId);
      }, pauseMs);
    },
    close() {
      clearTimeout(resumeTimer);
      source?.close();
      setState('closed');
    },
  };
}
