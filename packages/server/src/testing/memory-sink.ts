import type { ParsedEvent } from '@spout/protocol';
import { createSseReader } from '../../../../testing/sse-reader.ts';
import type { SessionSink } from '../session/sink.ts';

/** A sink that keeps what it is given, for tests: with a settable "full" state to simulate backpressure. */
export class MemorySink implements SessionSink {
  readonly #reader = createSseReader();
  readonly chunks: Uint8Array[] = [];
  readonly events: ParsedEvent[] = this.#reader.events;
  readonly comments: string[] = this.#reader.comments;
  ended = false;
  destroyed = false;
  /** When true, `write()` reports a full buffer and keeps the bytes in `writableLength`. */
  full = false;
  writableLength = 0;

  write(chunk: Uint8Array): boolean {
    this.chunks.push(chunk);
    this.#reader.feed(chunk);
    if (this.full) this.writableLength += chunk.byteLength;
    return !this.full;
  }

  end(): void {
    this.ended = true;
  }

  destroy(): void {
    this.destroyed = true;
  }

  /** Data of the events received, in order. */
  get data(): string[] {
    return this.events.map((event) => event.data);
  }

  /** Ids of the events received, in order. */
  get ids(): string[] {
    return this.events.map((event) => event.lastEventId);
  }
}

/** Resolves after the flush scheduler (setImmediate) has run. */
export function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A client that reads, but only so fast: every write fills the transport buffer, and the client
 * empties it on the next turn of the event loop, then calls `onDrain` (wire it to `session.drained()`).
 */
export class ReadingSink extends MemorySink {
  onDrain: () => void = () => {};

  override write(chunk: Uint8Array): boolean {
    this.full = true;
    super.write(chunk);
    setImmediate(() => {
      this.writableLength = 0;
      this.onDrain();
    });
    return false;
  }
}
