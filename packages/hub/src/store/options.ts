import type { StoreOptions } from './types.ts';

/** {@link StoreOptions} with defaults applied; absent limits are Infinity. */
export interface ResolvedStoreOptions {
  maxCount: number;
  maxAgeMs: number;
  maxPendingUpdates: number;
  /** Infinity when there is no age limit (no timer needed). */
  trimIntervalMs: number;
  onError: (error: Error) => void;
}

export const DEFAULT_MAX_PENDING_UPDATES = 10_000;

/** Validates the options every engine shares; throws a RangeError naming the bad setting. */
export function resolveStoreOptions(options: StoreOptions): ResolvedStoreOptions {
  const maxAgeMs = positiveInteger('maxAgeMs', options.maxAgeMs) ?? Number.POSITIVE_INFINITY;
  const defaultInterval = Number.isFinite(maxAgeMs)
    ? Math.min(60_000, Math.max(100, Math.floor(maxAgeMs / 10)))
    : Number.POSITIVE_INFINITY;
  return {
    maxCount: positiveInteger('maxCount', options.maxCount) ?? Number.POSITIVE_INFINITY,
    maxAgeMs,
    maxPendingUpdates:
      positiveInteger('maxPendingUpdates', options.maxPendingUpdates) ?? DEFAULT_MAX_PENDING_UPDATES,
    trimIntervalMs: positiveInteger('trimIntervalMs', options.trimIntervalMs) ?? defaultInterval,
    onError: options.onError ?? ((error) => process.emitWarning(error)),
  };
}

/** `value` when it is an integer >= 1, undefined when absent; a RangeError naming `name` otherwise. */
export function positiveInteger(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be an integer >= 1, got ${String(value)}`);
  }
  return value;
}

/** Throws a RangeError unless `after` is an integer >= 0 and `limit` an integer >= 1. */
export function checkReadAfter(after: number, limit: number): void {
  if (!Number.isSafeInteger(after) || after < 0) {
    throw new RangeError(`readAfter: after must be an integer >= 0, got ${String(after)}`);
  }
  positiveInteger('readAfter: limit', limit);
}
