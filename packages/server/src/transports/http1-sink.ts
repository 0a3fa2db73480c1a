import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SessionSink } from '../session/sink.ts';

const CRLF = Buffer.from('\r\n', 'latin1');

// A channel writes the same batch to every session in a row: frame it once for all of them.
let lastChunk: Uint8Array | null = null;
let lastFrame: Buffer | null = null;

/** [RFC 9112 7.1] one chunk: its size in hex, CRLF, the bytes, CRLF. */
function frame(chunk: Uint8Array): Buffer {
  if (chunk === lastChunk) return lastFrame!;
  const framed = Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`, 'latin1'), chunk, CRLF]);
  lastChunk = chunk;
  lastFrame = framed;
  return framed;
}

/**
 * An HTTP/1.x event stream written straight to its socket once the headers
 * are out: one `socket.write()` per flush instead of ServerResponse's
 * chunk-header, data and trailer writes, corked and uncorked per call. The
 * chunked framing is shared by every session that gets the same bytes.
 * Ending still goes through the response, which writes the last chunk.
 */
export class Http1SocketSink implements SessionSink {
  readonly #socket: Socket;
  readonly #res: ServerResponse;
  readonly #chunked: boolean;

  constructor(res: ServerResponse, socket: Socket) {
    this.#res = res;
    this.#socket = socket;
    this.#chunked = (res as { chunkedEncoding?: boolean }).chunkedEncoding === true;
  }

  get writableLength(): number {
    return this.#socket.writableLength;
  }

  write(chunk: Uint8Array): boolean {
    // [RFC 9112 7.1] a chunk of size 0 is the last chunk: an empty write must not end the body (as res.write skips it).
    if (chunk.byteLength === 0) return !this.#socket.writableNeedDrain;
    return this.#socket.write(this.#chunked ? frame(chunk) : chunk);
  }

  end(): void {
    this.#res.end();
  }

  destroy(): void {
    this.#socket.destroy();
  }
}
