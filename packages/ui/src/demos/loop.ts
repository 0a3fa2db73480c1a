/**
 * A demo's heartbeat: runs one async step, waits, runs the next. A step never
 * overlaps the previous one, so a slow hub slows the demo down instead of
 * piling up requests (the only queue is the one step in flight).
 */

/** What every demo has: a name, start and stop. */
export interface Demo {
  readonly name: string;
  /** Starts publishing; calling it again while running does nothing. */
  start(): void;
  /** Stops publishing and resolves once the step in flight has settled. */
  stop(): Promise<void>;
  /** True between start() and stop(). */
  readonly running: boolean;
}

/** Options every demo takes besides how to publish. */
export interface DemoTiming {
  /** Milliseconds between steps. */
  intervalMs?: number | undefined;
  /** Called with each failed step (the hub down, a token refused). Defaults to a line on stderr. */
  onError?: ((error: unknown) => void) | undefined;
}

export function createLoop(
  name: string,
  intervalMs: number,
  step: () => Promise<void>,
  onError: ((error: unknown) => void) | undefined,
  /** Run the first step at start (true) or after one interval. */
  immediate = true,
): Demo {
  const report = throttled(onError ?? ((error: unknown) => console.error(`[demo ${name}]`, error)));
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let running = false;

  const tick = (): void => {
    inFlight = step()
      .catch(report)
      .finally(() => {
        if (running) timer = setTimeout(tick, intervalMs);
      });
  };

  return {
    name,
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      if (immediate) tick();
      else timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/** While a step keeps failing (the hub down), reports the first failure, then at most one a minute. */
const REPORT_EVERY_MS = 60_000;

function throttled(report: (error: unknown) => void): (error: unknown) => void {
  let lastReport = 0;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastReport < REPORT_EVERY_MS) {
      suppressed += 1;
      return;
    }
    lastReport = now;
    const count = suppressed;
    suppressed = 0;
    report(
      count === 0 ? error : new Error(`${count + 1} failed steps since the last report`, { cause: error }),
    );
  };
}
