/**
 * Reconnect delays: exponential backoff with full jitter between a floor and a ceiling,
 * honouring the server's `retry:`. Pure; the random source is injectable for tests.
 */

/** How long to wait between reconnect attempts. All times in milliseconds. */
export interface BackoffOptions {
  /** Floor: no reconnect happens sooner. Default 500. */
  minDelay: number;
  /** Base of the exponential, until the server sends `retry:`. Default 1000. */
  baseDelay: number;
  /** Ceiling of the jitter window. Default 30 000. A server's `retry:` above it raises it. */
  maxDelay: number;
  /** Growth of the window per consecutive failure. Default 2. */
  factor: number;
  /** `full`: uniform in [floor, window]; `none`: the window's top. Default `full`. */
  jitter: 'full' | 'none';
  /** Uniform random numbers in [0, 1). Default Math.random. */
  random: () => number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = {
  minDelay: 500,
  baseDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
  jitter: 'full',
  random: Math.random,
};

/**
 * The delay before reconnect attempt `attempt` (1 for the first after a failure).
 *
 * - base = the server's `retry:` value when it sent one, else `baseDelay`
 * - floor = max(minDelay, server's retry:): never sooner than the server asked
 * - ceiling = max(maxDelay, floor)
 * - window = clamp(base × factor^attempt, floor, ceiling)
 * - delay = floor + random() × (window − floor)   (full jitter), or window (no jitter)
 *
 * Full jitter spreads a crowd of clients that lost the same server over the whole window,
 * so a restart is not met by a synchronized reconnect storm.
 */
export function backoffDelay(
  attempt: number,
  serverRetry: number | undefined,
  options: BackoffOptions,
): number {
  const base = serverRetry ?? options.baseDelay;
  const floor = Math.max(options.minDelay, serverRetry ?? 0);
  const ceiling = Math.max(options.maxDelay, floor);
  const window = Math.min(ceiling, Math.max(floor, base * options.factor ** attempt));
  if (options.jitter === 'none') return window;
  const random = Math.min(Math.max(options.random(), 0), 1);
  return floor + random * (window - floor);
}

/** Checks user-given backoff options; throws a RangeError naming the bad one. */
export function validateBackoff(options: BackoffOptions): void {
  for (const name of ['minDelay', 'baseDelay', 'maxDelay'] as const) {
    const value = options[name];
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(
        `reconnect.${name} must be a finite number of milliseconds >= 0, got ${String(value)}.`,
      );
    }
  }
  if (!(Number.isFinite(options.factor) && options.factor >= 1)) {
    throw new RangeError(`reconnect.factor must be a finite number >= 1, got ${String(options.factor)}.`);
  }
  if (options.minDelay > options.maxDelay) {
    throw new RangeError(
      `reconnect.minDelay (${options.minDelay}) must not exceed reconnect.maxDelay (${options.maxDelay}).`,
    );
  }
}
