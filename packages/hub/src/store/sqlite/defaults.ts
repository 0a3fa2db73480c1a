/**
 * The sqlite store's defaults, apart from the store so that the hub's settings table reads them
 * without loading node:sqlite.
 */

/** Durability when `synchronous` is not given: a commit survives power loss. */
export const SQLITE_DEFAULT_SYNCHRONOUS = 'FULL';
