import { DuplicateIdError } from './errors.ts';
import type { StoredUpdate, Update } from './types.ts';

/**
 * The canonical stored form of an update: a copy (callers may reuse their objects),
 * with `type` and `retry` present only when set, so every engine returns equal objects.
 */
export function toStored(update: Update, position: number, publishedAt: number): StoredUpdate {
  const stored: StoredUpdate = {
    id: update.id,
    topics: [...update.topics],
    data: update.data,
    private: update.private,
    position,
    publishedAt,
  };
  if (update.type !== undefined && update.type !== null) stored.type = update.type;
  if (update.retry !== undefined && update.retry !== null) stored.retry = update.retry;
  return stored;
}

/** Throws a DuplicateIdError when two updates of one batch share an id. */
export function checkUniqueIds(updates: readonly Update[]): void {
  const seen = new Set<string>();
  for (const update of updates) {
    if (seen.has(update.id)) throw new DuplicateIdError(update.id);
    seen.add(update.id);
  }
}
