/**
 * The byte stream under one session: a Node writable (`ServerResponse`,
 * `Http2ServerResponse`, `ServerHttp2Stream`) or the small web adapter.
 * Drain and close are reported back by the transport, see `transports/`.
 */
export interface SessionSink {
  /** Queues bytes; `false` means the buffer is full and the transport will report a drain. */
  write(chunk: Uint8Array): boolean;
  /** Bytes accepted by `write()` and not yet handed to the operating system. */
  readonly writableLength: number;
  /** Ends the response once buffered bytes are out. */
  end(): void;
  /** Aborts the response at once, discarding buffered bytes. */
  destroy(): void;
}
