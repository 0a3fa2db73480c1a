/**
 * Subscription events on behalf of other nodes' subscribers: `active: false` for those of a node
 * that died, `active: true` again for this node's own after it was taken for dead.
 */
import type { DirectoryEntry } from '../core/directory.ts';
import type { Update, UpdateStore } from '../store/types.ts';

/**
 * Updates appended at once. A dead node may have had thousands of subscribers: appended one chunk
 * after another, its events never fill the store's queue of pending updates (maxPendingUpdates).
 */
const CHUNK = 100;

/** Appends `updates` to the store in chunks, each after the previous one is stored. */
export async function appendInChunks(store: UpdateStore, updates: readonly Update[]): Promise<void> {
  for (let start = 0; start < updates.length; start += CHUNK) {
    await store.append(updates.slice(start, start + CHUNK));
  }
}

/** A directory entry as a node wrote it into Redis. */
export function parseEntry(json: string): DirectoryEntry {
  return JSON.parse(json) as DirectoryEntry;
}
