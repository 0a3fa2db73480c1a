/**
 * Counting events in raw subscriber bytes, shared by the fan-out and hub
 * benchmarks: each payload ends with `}` and a blank line, and carries its
 * send time as `{"t":<ms>,`. Parsing properly would cost the subscriber
 * processes more CPU than the server they measure.
 */
import { performance } from 'node:perf_hooks';
import { record } from './histogram.ts';

const END = Buffer.from('}\n\n');
const TIME = Buffer.from('{"t":');
/** Longest unfinished event kept between chunks to find its markers later. */
const MAX_TAIL = 4096;
const EMPTY = Buffer.alloc(0);

/** Per socket: the last bytes of the previous chunk, so markers split across chunks are found. */
export class EventScanner {
  #tail = EMPTY;

  /** Counts the events that end in `chunk` and records their latency; returns how many ended. */
  scan(chunk: Buffer, histogram: number[]): number {
    const now = performance.timeOrigin + performance.now();
    const data = this.#tail.length > 0 ? Buffer.concat([this.#tail, chunk]) : chunk;
    let ended = 0;
    let at = data.indexOf(END);
    let last = -1;
    while (at >= 0) {
      ended++;
      const start = data.lastIndexOf(TIME, at);
      if (start >= 0) {
        record(
          histogram,
          now - Number(data.toString('latin1', start + TIME.length, data.indexOf(44, start))),
        );
      }
      last = at;
      at = data.indexOf(END, at + END.length);
    }
    const from = last >= 0 ? last + END.length : 0;
    // A copy: `chunk` may be a read buffer that the next read overwrites.
    if (from === data.length) this.#tail = EMPTY;
    else
      this.#tail =
        data.length - from > MAX_TAIL
          ? Buffer.from(data.subarray(data.length - MAX_TAIL))
          : Buffer.from(data.subarray(from));
    return ended;
  }
}
