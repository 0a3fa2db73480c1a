/**
 * A store that behaves like another except for the methods a test replaces (a failing read,
 * a slow append), for the hub's fault tests.
 */
import type { UpdateStore } from '../types.ts';

const METHODS = [
  'append',
  'positionOf',
  'readAfter',
  'latestPosition',
  'earliestPosition',
  'size',
  'watch',
  'close',
] as const satisfies readonly (keyof UpdateStore)[];

/** `store` with `overrides` in place of its own methods; the others are called on `store` itself. */
export function overrideStore(store: UpdateStore, overrides: Partial<UpdateStore>): UpdateStore {
  const delegate = Object.fromEntries(
    METHODS.map((name) => [name, (store[name] as (...args: unknown[]) => unknown).bind(store)]),
  ) as unknown as UpdateStore;
  return { ...delegate, ...overrides };
}
