import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF, validateBackoff } from './backoff.ts';

const options = (overrides: Partial<BackoffOptions>): BackoffOptions => ({
  ...DEFAULT_BACKOFF,
  ...overrides,
});
const lowest = options({ random: () => 0 });
const highest = options({ random: () => 1 - Number.EPSILON });

describe('backoffDelay', () => {
  it('the window doubles per attempt from the base delay', () => {
    const none = options({ jitter: 'none', minDelay: 0 });
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => backoffDelay(attempt, undefined, none)),
      [2000, 4000, 8000, 16000],
    );
  });

  it('full jitter stays between the floor and the window', () => {
    assert.equal(backoffDelay(1, undefined, lowest), 500);
    const top = backoffDelay(3, undefined, highest);
    assert.ok(top > 7999 && top <= 8000, String(top));
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelay(3, undefined, DEFAULT_BACKOFF);
      assert.ok(delay >= 500 && delay < 8000, String(delay));
    }
  });

  it('never exceeds the ceiling, however many attempts', () => {
    assert.ok(backoffDelay(50, undefined, highest) <= 30_000);
    assert.equal(backoffDelay(1000, undefined, options({ jitter: 'none' })), 30_000);
  });

  it("[spec] honours the server's retry: as the base and as the floor", () => {
    assert.equal(backoffDelay(1, 5000, lowest), 5000);
    const top = backoffDelay(1, 5000, highest);
    assert.ok(top > 9999 && top <= 10_000, String(top));
  });

  it('a retry: above the ceiling raises the ceiling to it', () => {
    assert.equal(backoffDelay(5, 60_000, options({ jitter: 'none' })), 60_000);
  });

  it('rejects nonsense options with the name of the option', () => {
    assert.throws(() => validateBackoff(options({ factor: 0.5 })), /reconnect\.factor/);
    assert.throws(() => validateBackoff(options({ minDelay: -1 })), /reconnect\.minDelay/);
    assert.throws(() => validateBackoff(options({ minDelay: 10, maxDelay: 5 })), /must not exceed/);
    assert.throws(() => validateBackoff(options({ baseDelay: Number.NaN })), /reconnect\.baseDelay/);
  });
});
