import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from '../errors.ts';
import type { Update } from '../types.ts';
import type {
  AppendOutcome,
  TrimBounds,
  WriterConfig,
  WriterReply,
  WriterRequest,
} from './writer-protocol.ts';

/** A request as the client builds it: `#request` gives it its id. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve: (reply: Extract<WriterReply, { ok: true }>) => void;
  reject: (error: Error) => void;
}

/**
 * The main thread's handle on the writer thread. Requests are answered in order. While any
 * is pending the thread keeps the process alive (an awaited append must not be abandoned);
 * when idle it does not. If the thread dies, every pending and later request fails with
 * StoreUnavailableError and `onDeath` hears why.
 */
export class WriterClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #dead: Error | undefined;
  #idle: (() => void)[] = [];
  readonly #exited: Promise<void>;

  constructor(config: WriterConfig, onDeath: (error: Error) => void) {
    this.#worker = new Worker(new URL(`./writer-thread${extname(import.meta.url)}`, import.meta.url), {
      workerData: config,
      ...threadExecArgv(),
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: WriterReply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#die(error, onDeath));
    this.#exited = new Promise((resolve) => {
      this.#worker.on('exit', (code) => {
        if (code !== 0 || this.#pending.size > 0)
          this.#die(new Error(`the sqlite writer thread exited with code ${code}`), onDeath);
        resolve();
      });
    });
  }

  /** Writes each append all or nothing, and one retention step, in one transaction. */
  async commit(
    appends: readonly (readonly Update[])[],
    publishedAt: number,
    bounds: TrimBounds,
  ): Promise<{ outcomes: AppendOutcome[]; trimmed: number }> {
    return this.#request({ kind: 'commit', appends: JSON.stringify(appends), publishedAt, bounds });
  }

  /** One retention step in its own transaction; resolves to the rows deleted. */
  async trim(bounds: TrimBounds): Promise<number> {
    return (await this.#request({ kind: 'trim', bounds })).trimmed;
  }

  /** Waits for pending requests, then closes the file and ends the thread. */
  async close(): Promise<void> {
    if (this.#pending.size > 0) await new Promise<void>((resolve) => this.#idle.push(resolve));
    if (!this.#dead) this.#worker.postMessage({ kind: 'close' } satisfies WriterRequest);
    this.#worker.ref();
    await this.#exited;
  }

  /** Sends a request under the next id; replies come back in order. */
  #request(
    request: WithoutId<Exclude<WriterRequest, { kind: 'close' }>>,
  ): Promise<Extract<WriterReply, { ok: true }>> {
    if (this.#dead) return Promise.reject(unavailable(this.#dead));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #settle(reply: WriterReply): void {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply);
    else
      pending.reject(
        new StoreUnavailableError(
          `the sqlite transaction failed, nothing was stored: ${reply.message}`,
          false,
          undefined,
        ),
      );
    if (this.#pending.size === 0) this.#becameIdle();
  }

  #becameIdle(): void {
    this.#worker.unref();
    for (const resolve of this.#idle.splice(0)) resolve();
  }

  #die(error: Error, onDeath: (error: Error) => void): void {
    if (this.#dead) return;
    this.#dead = error;
    for (const pending of this.#pending.values()) pending.reject(unavailable(error));
    this.#pending.clear();
    this.#becameIdle();
    onDeath(error);
  }
}

/**
 * The thread inherits its process's flags, except one it refuses (node --input-type=module -e ...).
 * Only then are flags passed explicitly: an explicit list is checked, and may hold flags a thread rejects.
 */
/** `.ts` when running from the sources, `.js` when compiled: the thread file beside this one. */
function extname(url: string): string {
  return url.slice(url.lastIndexOf('.'));
}

function threadExecArgv(): { execArgv?: string[] } {
  const isInputType = (flag: string) => flag.startsWith('--input-type');
  return process.execArgv.some(isInputType)
    ? { execArgv: process.execArgv.filter((flag) => !isInputType(flag)) }
    : {};
}

function unavailable(cause: Error): StoreUnavailableError {
  return new StoreUnavailableError(`the sqlite writer thread failed: ${cause.message}`, true, cause);
}
