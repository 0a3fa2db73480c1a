import { type FSWatcher, watch } from 'node:fs';
import { toError } from '../watchers.ts';

/**
 * Tells this process that another one may have committed to the shared sqlite file:
 * at once when the WAL file changes (inotify and the like, through fs.watch), and every
 * `intervalMs` in any case (where file events are unreliable, e.g. network file systems).
 * Checks are coalesced: a burst of file events costs one `check` per event-loop turn.
 */
export class ChangeSignal {
  readonly #walPath: string;
  readonly #intervalMs: number;
  readonly #check: () => void;
  readonly #onError: (error: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #watcher: FSWatcher | undefined;
  #scheduled = false;

  /** @param walPath the `-wal` file to watch. */
  constructor(walPath: string, intervalMs: number, check: () => void, onError: (error: Error) => void) {
    this.#walPath = walPath;
    this.#intervalMs = intervalMs;
    this.#check = check;
    this.#onError = onError;
  }

  start(): void {
    this.#timer = setInterval(this.#check, this.#intervalMs);
    this.#timer.unref();
    try {
      this.#watcher = watch(this.#walPath, { persistent: false }, () => this.#schedule());
      this.#watcher.on('error', (error) => this.#giveUpWatching(error));
    } catch (error) {
      this.#giveUpWatching(error);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#watcher) this.#check();
    });
  }

  /** Without file events, the interval alone still finds every change, later. */
  #giveUpWatching(error: unknown): void {
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#onError(toError(error));
  }
}
