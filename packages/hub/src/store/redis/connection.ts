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
  const connectionOptions = commandOptions(options, settings);
  // A connection that dies silently (no RST: a partition, a dead NAT entry) is noticed by the
  // lack of any reply in time, then dropped and reconnected: appends fail instead of hanging,
  // and the blocking read, which Redis answers within blockMs, resumes on a fresh connection.
  const readerTimeout = settings.blockMs + Math.max(1000, settings.blockMs);
  const client = openClient(settings.target, connectionOptions);
  const reader = openReader(client, settings.target, connectionOptions, readerTimeout);
  await connectAll([client, reader], options.url, onError);
  return { client, reader };
}

/**
 * Opens one command connection with the store's behaviour (no offline queue, nothing re-sent), for
 * what shares the store's Redis and key prefix (the hub's presence across nodes). Rejects and
 * reports errors as {@link connect} does.
 */
export async function connectCommands(
  options: RedisStoreOptions,
  settings: RedisSettings,
  onError: (error: Error) => void,
): Promise<RedisClient> {
  const client = openClient(settings.target, commandOptions(options, settings));
  await connectAll([client], options.url, onError);
  return client;
}

function commandOptions(options: RedisStoreOptions, settings: RedisSettings): RedisOptions {
  return {
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
}

/** Connects every connection; on failure disconnects them all and rejects with REDIS_UNAVAILABLE. */
async function connectAll(
  connections: RedisClient[],
  url: string,
  onError: (error: Error) => void,
): Promise<void> {
  // Until connected, errors reach the caller through the rejection below.
  const untilConnected = () => {};
  for (const connection of connections) connection.on('error', untilConnected);
  try {
    await Promise.all(connections.map((connection) => connection.connect()));
  } catch (error) {
    for (const connection of connections) connection.disconnect();
    throw new StoreError(
      'REDIS_UNAVAILABLE',
      `cannot connect to Redis at ${redactUrl(url)}: ${toError(error).message}`,
      {
        cause: error,
      },
    );
  }
  for (const connection of connections) {
    connection.off('error', untilConnected);
    reportConnectionErrors(connection, onError);
  }
}

/** The command connection for a target, not connected yet. */
function openClient(target: RedisTarget, options: RedisOptions): RedisClient {
  if (target.kind === 'cluster') {
    const { enableOfflineQueue, enableAutoPipelining, lazyConnect } = options;
    return new Cluster(target.nodes, {
      enableOfflineQueue,
      enableAutoPipelining,
      lazyConnect,
      // Cluster re-sends a command whose connection closed before the reply by default: an append
      // that was applied would come back as a false duplicate. Refused commands (MOVED, CLUSTERDOWN) still are.
      retryDelayOnFailover: 0,
      redisOptions: { ...nodeOptions(options), ...target.credentials },
    });
  }
  if (target.kind === 'server') return new Redis(target.url, options);
  return new Redis({
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
}

/** The options of each node of a Cluster: the connection's, less those the Cluster takes itself. */
function nodeOptions(options: RedisOptions): RedisOptions {
  const { enableOfflineQueue, enableAutoPipelining, lazyConnect, ...perNode } = options;
  return perNode;
}

/** The blocking reader's connection: the client's twin, without pipelining, with its own timeout. */
function openReader(
  client: RedisClient,
  target: RedisTarget,
  options: RedisOptions,
  readerTimeout: number,
): RedisClient {
  if (client instanceof Cluster && target.kind === 'cluster') {
    return client.duplicate(undefined, {
      enableAutoPipelining: false,
      redisOptions: { ...nodeOptions(options), ...target.credentials, socketTimeout: readerTimeout },
    });
  }
  return (client as Redis).duplicate({ enableAutoPipelining: false, socketTimeout: readerTimeout });
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
