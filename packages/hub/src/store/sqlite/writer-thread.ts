/**
 * The sqlite writer, in its own thread: node:sqlite is synchronous, and a durable commit
 * waits for fsync, which must not stall the hub's event loop (every subscriber's writes).
 * Commit requests that arrive while a commit runs are grouped into the next transaction.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Update } from '../types.ts';
import { isUniqueViolation, UpdateTable } from './table.ts';
import {
  type AppendOutcome,
  TRIM_CHUNK,
  type TrimBounds,
  type WriterConfig,
  type WriterReply,
  type WriterRequest,
} from './writer-protocol.ts';

const config = workerData as WriterConfig;
const table = new UpdateTable(config.path, config.synchronous, config.busyTimeoutMs);
const port = parentPort!;
let queue: Extract<WriterRequest, { kind: 'commit' }>[] = [];
let scheduled = false;

port.on('message', (request: WriterRequest) => {
  if (request.kind === 'close') {
    table.close();
    port.close();
    return;
  }
  if (request.kind === 'trim')
    return reply(request.id, () => [[], table.transaction(() => trim(request.bounds))]);
  queue.push(request);
  if (scheduled) return;
  scheduled = true;
  setImmediate(commitQueued);
});

/** Group commit: every request queued since the last one, in one transaction, one fsync. */
function commitQueued(): void {
  scheduled = false;
  const requests = queue;
  queue = [];
  let results: AppendOutcome[][] = [];
  let trimmed = 0;
  try {
    table.transaction(() => {
      const totals = { updates: 0, bytes: 0 };
      results = requests.map((request) =>
        (JSON.parse(request.appends) as Update[][]).map((updates) =>
          count(totals, updates, insertAll(updates, request.publishedAt)),
        ),
      );
      // Once per transaction, not per row: the totals behind size() cost one statement per commit.
      if (totals.updates > 0) table.addTotals(totals.updates, totals.bytes);
      trimmed = trim(requests.at(-1)!.bounds);
    });
  } catch (error) {
    for (const request of requests) port.postMessage(failure(request.id, error));
    return;
  }
  requests.forEach((request, index) => {
    const message: WriterReply = { id: request.id, ok: true, outcomes: results[index]!, trimmed };
    port.postMessage(message);
  });
}

/** One append, all or nothing (a savepoint): a duplicate undoes this append only. */
function insertAll(updates: Update[], publishedAt: number): AppendOutcome {
  let current: Update | undefined;
  try {
    // One INSERT is atomic by itself (a failed statement is undone, the transaction goes on):
    // only a batch needs the savepoint, two more statements per append.
    if (updates.length === 1) {
      current = updates[0]!;
      return { first: table.insert(current, publishedAt) };
    }
    const positions = table.atomically(() =>
      updates.map((update) => {
        current = update;
        return table.insert(update, publishedAt);
      }),
    );
    return { first: positions[0]! };
  } catch (error) {
    if (isUniqueViolation(error) && current) return { duplicate: current.id };
    throw error;
  }
}

/** Adds a written append to `totals` (a duplicate wrote nothing); returns its outcome. */
function count(
  totals: { updates: number; bytes: number },
  updates: Update[],
  outcome: AppendOutcome,
): AppendOutcome {
  if ('first' in outcome) {
    totals.updates += updates.length;
    for (const update of updates) totals.bytes += Buffer.byteLength(update.data);
  }
  return outcome;
}

function trim(bounds: TrimBounds): number {
  return table.trimStep(bounds.maxCount, bounds.notBefore, TRIM_CHUNK);
}

function reply(id: number, run: () => [AppendOutcome[], number]): void {
  try {
    const [outcomes, trimmed] = run();
    port.postMessage({ id, ok: true, outcomes, trimmed } satisfies WriterReply);
  } catch (error) {
    port.postMessage(failure(id, error));
  }
}

function failure(id: number, error: unknown): WriterReply {
  return { id, ok: false, message: error instanceof Error ? error.message : String(error) };
}
