/**
 * Keeping a Sentinel store's connections on the primary.
 *
 * [why] ioredis asks the sentinels for the primary and checks the server's role only when it
 * connects. A connection can land on an old primary that an operator restarted before the
 * sentinels demoted it (a sentinel not yet told of the failover still names it). Once the
 * sentinels make it a replica, Redis closes the connections blocked in XREAD, but not the others:
 * they would go on reading a copy that the replica's resync replaces, positions included.
 */
import { StoreError } from '../errors.ts';
import { toError } from '../watchers.ts';
import type { RedisClient } from './connection.ts';

/** How often a Sentinel store's command connection confirms it talks to the primary. */
export const PRIMARY_CHECK_MS = 1000;

/** True when a ROLE reply names a primary. */
export function isPrimaryRole(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === 'master';
}

/** Drops a connection found on a replica, to reconnect through the sentinels; returns the error to report. */
export function leaveReplica(connection: RedisClient): StoreError {
  if (connection.status === 'ready') connection.disconnect(true);
  return new StoreError(
    'REDIS_NOT_PRIMARY',
    'the Redis server of this connection is a replica now (a failover demoted it): reconnecting through the sentinels',
  );
}

/**
 * Sends ROLE every `everyMs` on `connection` and reconnects it when its server is no longer the
 * primary; reports that to `onError`. Returns the function that stops it.
 */
export function watchPrimaryRole(
  connection: RedisClient,
  everyMs: number,
  onError: (error: Error) => void,
): () => void {
  let checking = false;
  const check = async () => {
    if (checking || connection.status !== 'ready') return;
    checking = true;
    try {
      if (!isPrimaryRole(await connection.call('ROLE'))) onError(leaveReplica(connection));
    } catch (error) {
      // The connection failed: its own error event reports it, and ioredis reconnects it.
      if (connection.status === 'ready') onError(toError(error));
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
