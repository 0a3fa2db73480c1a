import type { Synchronous } from './table.ts';

/** What the writer thread opens. */
export interface WriterConfig {
  path: string;
  synchronous: Synchronous;
  busyTimeoutMs: number;
}

/** Retention as one write step applies it: positions beyond `maxCount`, rows published before `notBefore`. */
export interface TrimBounds {
  /** Infinity for none. */
  maxCount: number;
  notBefore: number;
}

/** Main thread to writer. */
export type WriterRequest =
  | {
      kind: 'commit';
      id: number;
      /**
       * The appends (`Update[][]`) as JSON: one string crosses the thread at the cost of a copy,
       * where a structured clone of the objects costs several times more, on both threads.
       * JSON keeps every string exactly (lone surrogates are escaped and restored).
       */
      appends: string;
      publishedAt: number;
      bounds: TrimBounds;
    }
  | { kind: 'trim'; id: number; bounds: TrimBounds }
  /** Sent once nothing is pending: the writer closes the file and its thread ends. */
  | { kind: 'close' };

/** Per append of a commit: its first position, or the id that made it a duplicate (nothing of it written). */
export type AppendOutcome = { first: number } | { duplicate: string };

/** Writer to main thread. */
export type WriterReply =
  | { id: number; ok: true; outcomes: AppendOutcome[]; trimmed: number }
  | { id: number; ok: false; message: string };

/** Rows one write transaction trims at most: bounds how long the writer holds the write lock. */
export const TRIM_CHUNK = 1000;
