/**
 * Reads a request body with a size cap.
 */
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { HttpError } from './errors.ts';

/** Any node:http or node:http2 compatibility request. */
export type AnyRequest = IncomingMessage | Http2ServerRequest;

function tooLarge(limit: number): HttpError {
  return new HttpError(413, `the request body is larger than ${limit} bytes (setting maxBodyBytes)`);
}

function cutShort(): HttpError {
  return new HttpError(400, 'the request body was cut short: the client closed the connection mid-upload');
}

/**
 * Reads the whole body as UTF-8, refusing more than `limit` bytes with 413: at once
 * when Content-Length says so, else as soon as the stream passes the limit.
 */
export function readBody(req: AnyRequest, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    // Drain without keeping it, so the connection stays usable for the 413.
    req.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (!refused) {
        // Answer at once; the rest is drained without being kept, so the connection stays usable for the 413.
        refused = true;
        chunks.length = 0;
        reject(tooLarge(limit));
      }
    });
    let ended = false;
    // An aborted upload ("aborted", ECONNRESET) is the client's doing: a 400, not a server failure.
    req.once('error', () => reject(cutShort()));
    req.once('end', () => {
      ended = true;
      if (size > limit) reject(tooLarge(limit));
      else {
        try {
          resolve(decodeUtf8(Buffer.concat(chunks)));
        } catch (error) {
          reject(error);
        }
      }
    });
    // A client that goes away mid-body: nothing to store, nobody to answer.
    req.once('close', () => {
      if (!ended) reject(cutShort());
    });
  });
}

/** One decoder for every body: a non-streaming decode keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    // [spec] field names and values MUST be UTF-8 (draft-08; sensible for every revision)
    throw new HttpError(400, 'the request body is not valid UTF-8');
  }
}
