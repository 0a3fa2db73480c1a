/** Turns connect()'s `reconnect` option into a decision after each failure. */
import type { RetryDecision } from '../core/reconnecting-stream.ts';
import { SseError } from '../core/sse-error.ts';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, validateBackoff } from './backoff.ts';
import type { ReconnectOptions, RetryContext, RetryVerdict } from './types.ts';

/** What the policy needs to know about the stream at the time of a failure. */
export interface StreamFacts {
  /** The server's last `retry:` value, if it sent one. */
  serverRetry: number | undefined;
  lastEventId: string;
}

export class RetryPolicy {
  readonly #options: ReconnectOptions | false;
  readonly #backoff: BackoffOptions;
  /** The backoff once the server sent `retry:`, when the user set no floor: the server's value is the floor. */
  readonly #serverPaced: BackoffOptions;
  readonly #maxAttempts: number;
  readonly #report: (error: SseError) => void;

  /** Validates the options (throws RangeError); `report` hears of a misbehaving `shouldRetry`. */
  constructor(options: ReconnectOptions | false, report: (error: SseError) => void) {
    this.#options = options;
    this.#report = report;
    const given = options === false ? {} : options;
    this.#backoff = { ...DEFAULT_BACKOFF, ...definedOnly(given) };
    validateBackoff(this.#backoff);
    // The default minDelay guards servers that set no pace; one that sent `retry: 50` asked for 50 ms.
    this.#serverPaced = given.minDelay === undefined ? { ...this.#backoff, minDelay: 0 } : this.#backoff;
    this.#maxAttempts = given.maxAttempts ?? Number.POSITIVE_INFINITY;
    if (
      !(this.#maxAttempts >= 0 && (Number.isInteger(this.#maxAttempts) || this.#maxAttempts === Infinity))
    ) {
      throw new RangeError(
        `reconnect.maxAttempts must be an integer >= 0 or Infinity, got ${String(this.#maxAttempts)}.`,
      );
    }
  }

  /** Whether reconnecting is switched off (`reconnect: false`). */
  get disabled(): boolean {
    return this.#options === false;
  }

  /** The reconnection time before any `retry:`. */
  get baseDelay(): number {
    return this.#backoff.baseDelay;
  }

  /** Decides after failure number `attempt` (in a row): the hook's verdict, else retry what is retryable. */
  async decide(error: SseError, attempt: number, facts: StreamFacts): Promise<RetryDecision> {
    const options = this.#options;
    if (options === false || error.reason === 'no-content') return { fail: error };
    if (attempt > this.#maxAttempts) {
      const message = `Gave up after ${this.#maxAttempts} reconnect attempts: ${error.message}`;
      const { status, statusText, url } = error;
      return { fail: new SseError('retries-exhausted', message, { cause: error, status, statusText, url }) };
    }
    const paced = facts.serverRetry === undefined ? this.#backoff : this.#serverPaced;
    const backoff = backoffDelay(attempt, facts.serverRetry, paced);
    // A server's Retry-After is a floor: it knows when it will be back.
    const delay = Math.max(backoff, error.retryAfter ?? 0);
    const verdict = await this.#ask(options, { error, attempt, delay, lastEventId: facts.lastEventId });
    if (typeof verdict === 'number') return { retryIn: verdict };
    if (verdict === true || (verdict === undefined && error.retryable)) return { retryIn: delay };
    return { fail: error };
  }

  async #ask(options: ReconnectOptions, context: RetryContext): Promise<RetryVerdict> {
    if (options.shouldRetry === undefined) return undefined;
    let verdict: RetryVerdict;
    try {
      verdict = await options.shouldRetry(context);
    } catch (error) {
      this.#report(
        new SseError(
          'listener',
          `reconnect.shouldRetry threw; the default policy applies: ${String(error)}`,
          {
            cause: error,
          },
        ),
      );
      return undefined;
    }
    if (typeof verdict === 'number' && !(Number.isFinite(verdict) && verdict >= 0)) {
      this.#report(
        new SseError(
          'listener',
          `reconnect.shouldRetry returned ${verdict}, not a delay >= 0; the default policy applies.`,
        ),
      );
      return undefined;
    }
    return verdict;
  }
}

function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
