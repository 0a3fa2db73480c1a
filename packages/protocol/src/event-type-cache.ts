/** A cache of event type strings keyed by their UTF-8 bytes, for `LineParser.parseScanned`. */

/**
 * The last few event types seen, by their UTF-8 bytes: streams use a handful of types, often in
 * turn, and comparing a few bytes costs less than making a string per `event:` line.
 */
export class EventTypeCache {
  readonly #bytes: Uint8Array[] = [];
  readonly #types: string[] = [];
  #next = 0;

  /** The type whose bytes are bytes[start, end), if cached. */
  find(bytes: Uint8Array, start: number, end: number): string | undefined {
    const length = end - start;
    const cached = this.#bytes;
    for (let k = 0; k < cached.length; k++) {
      const candidate = cached[k] as Uint8Array;
      if (candidate.length === length && sameBytes(bytes, start, candidate)) return this.#types[k];
    }
    return undefined;
  }

  /** Caches `type`, the decoding of bytes[start, end), in place of the oldest entry; returns it. */
  add(bytes: Uint8Array, start: number, end: number, type: string): string {
    const k = this.#next;
    this.#next = (k + 1) % TYPE_CACHE_SIZE;
    this.#bytes[k] = bytes.slice(start, end);
    this.#types[k] = type;
    return type;
  }
}

const TYPE_CACHE_SIZE = 8;

function sameBytes(bytes: Uint8Array, start: number, expected: Uint8Array): boolean {
  for (let j = 0; j < expected.length; j++) if (bytes[start + j] !== expected[j]) return false;
  return true;
}
