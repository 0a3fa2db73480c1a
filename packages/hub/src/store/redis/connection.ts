import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { StoreError } from '../errors.ts';
import { toError } from '../watchers.ts';
import { APPEND, BOUNDS, POSITION_OF, READ_AFTER, SIZE, TRIM } from './scripts.ts';
import type { RedisKeys, RedisSettings, RedisStoreOptions } from './settings.ts';
import { type RedisTarget, redactUrl } from './target.ts';

/** A connection to one server (possibly found through Sentinel) or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * Opens the store's two connections: one for commands (auto-pipelined) and one held by
 * the blocking stream read. Rejects with a StoreError (REDIS_UNAVAILABLE) when Redis
 * cannot be reached; afterwards, connection errors go to `onError`.
 */
export async function connect(
  options: RedisStoreOptions,
  settings: RedisSettings,
  onError: (error: Error) => void,
): Promise<{ client: RedisClient; reader: RedisClient }> {
  const connectionOptions: RedisOptions = {
    ...options.redis,
    // The store names its keys itself; an ioredis prefix would not reach XREAD's stream name.
    keyPrefix: undefined,
    lazyConnect: true,
    protocol: 2,
    // Fail fast instead of queueing without bound while disconnected; never re-send an
    // append whose reply was lost (it may have been applied: a re-send would turn a success into a duplicate).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    enableAutoPipelining: true,
    socketTimeout: options.redis?.socketTimeout ?? Math.max(10_000, settings.replicaTimeoutMs + 5_000),
  };
  // A connection that dies silently (no RST: a partition, a dead NAT entry) is noticed by the
  // lack of any reply in time, then dropped and reconnected: appends fail instead of hanging,
  // and the blocking read, which Redis answers within blockMs, resumes on a fresh connection.
  const readerTimeout = settings.blockMs + Math.max(1000, settings.blockMs);
  const { client, reader } = open(settings.target, connectionOptions, readerTimeout);
  // Until connected, errors reach the caller through the rejection below.
  const untilConnected = () => {};
  for (const connection of [client, reader]) connection.on('error', untilConnected);
  try {
    await Promise.all([client.connect(), reader.connect()]);
  } catch (error) {
    client.disconnect();
    reader.disconnect();
    throw new StoreError(
      'REDIS_UNAVAILABLE',
      `cannot connect to Redis at ${redactUrl(options.url)}: ${toError(error).message}`,
      {
        cause: error,
      },
    );
  }
  for (const connection of [client, reader]) {
    connection.off('error', untilConnected);
    reportConnectionErrors(connection, onError);
  }
  return { client, reader };
}

/** The command and reader connections for a target, not connected yet. */
function open(
  target: RedisTarget,
  options: RedisOptions,
  readerTimeout: number,
): { client: RedisClient; reader: RedisClient } {
  if (target.kind === 'cluster') {
    const { enableOfflineQueue, enableAutoPipelining, lazyConnect, ...redisOptions } = options;
    const client = new Cluster(target.nodes, {
      enableOfflineQueue,
      enableAutoPipelining,
      lazyConnect,
      // Cluster re-sends a command whose connection closed before the reply by default: an append
      // that was applied would come back as a false duplicate. Refused commands (MOVED, CLUSTERDOWN) still are.
      retryDelayOnFailover: 0,
      redisOptions: { ...redisOptions, ...target.credentials },
    });
    const reader = client.duplicate(undefined, {
      enableAutoPipelining: false,
      redisOptions: { ...redisOptions, ...target.credentials, socketTimeout: readerTimeout },
    });
    return { client, reader };
  }
  const client =
    target.kind === 'server'
      ? new Redis(target.url, options)
      : new Redis({
          ...options,
          ...target.credentials,
          sentinels: target.sentinels,
          name: target.name,
          db: target.db,
          // Hear of a failover from the sentinels at once instead of at the next failed command.
          failoverDetector: true,
          // The old primary, demoted, answers writes with READONLY: reconnect (through the sentinels,
          // to the new primary) without re-sending the refused command, which was not applied.
          reconnectOnError: (error) => error.message.startsWith('READONLY'),
        });
  const reader = client.duplicate({ enableAutoPipelining: false, socketTimeout: readerTimeout });
  return { client, reader };
}

/** The Lua scripts, as ioredis commands (EVALSHA, with EVAL when Redis does not know them yet). */
export interface ScriptCommands {
  spoutAppend(...keysThenArgs: [...RedisKeys, ...(string | number)[]]): Promise<unknown[]>;
  spoutTrim(...keysThenArgs: [...RedisKeys, ...(string | number)[]]): Promise<number>;
  spoutReadAfter(...keysThenArgs: [...RedisKeys, ...(string | number)[]]): Promise<unknown>;
  spoutPositionOf(...keysThenArgs: [...RedisKeys, ...(string | number)[]]): Promise<number | null>;
  spoutBounds(...keysThenArgs: [...RedisKeys, ...(string | number)[]]): Promise<[number, number]>;
  spoutSize(...keysThenArgs: [...RedisKeys, ...(string | number)[]]): Promise<[number, number]>;
}

export function defineScripts(client: RedisClient): void {
  const scripts = {
    spoutAppend: APPEND,
    spoutTrim: TRIM,
    spoutReadAfter: READ_AFTER,
    spoutPositionOf: POSITION_OF,
    spoutBounds: BOUNDS,
    spoutSize: SIZE,
  };
  for (const [name, lua] of Object.entries(scripts)) client.defineCommand(name, { lua, numberOfKeys: 4 });
}

/** Reports a connection's errors once each, not at every reconnect attempt, until it is ready again. */
function reportConnectionErrors(connection: RedisClient, onError: (error: Error) => void): void {
  let last = '';
  connection.on('ready', () => {
    last = '';
  });
  connection.on('error', (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    onError(new StoreError('REDIS_CONNECTION', `Redis connection error: ${error.message}`, { cause: error }));
  });
}
