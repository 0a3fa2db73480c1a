/**
 * Presence across nodes: the subscribers of every hub node sharing a Redis key prefix, for the
 * subscriptions API, /healthz and the subscription events of nodes that die. See docs/scaling.md.
 */

import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import {
  DEFAULT_PRESENCE_TTL_MS,
  type DirectoryEntry,
  plainEntry,
  type SubscriberDirectory,
} from '../core/directory.ts';
import { subscriptionEvents } from '../core/subscription-events.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { connectCommands, type RedisClient } from '../store/redis/connection.ts';
import { type RedisStoreOptions, resolveSettings } from '../store/redis/settings.ts';
import type { UpdateStore } from '../store/types.ts';
import { toError } from '../store/watchers.ts';
import { appendInChunks, parseEntry } from './events.ts';
import { BEAT, OTHERS } from './scripts.ts';

/** Dead nodes one heartbeat claims at most: bounds the script's time and its reply. */
const MAX_REAPED = 8;
/**
 * A node's hash expires this many TTLs after its last heartbeat: it is normally reaped long before,
 * but when no node is left to reap it, its keys do not stay in Redis forever.
 */
const EXPIRY_TTLS = 10;

/** Options of {@link createRedisDirectory}. */
export interface RedisDirectoryOptions {
  /** Where the Redis store is: the same `url`, `keyPrefix` and `redis` options as the store's. */
  redis: Pick<RedisStoreOptions, 'url' | 'keyPrefix' | 'redis'>;
  /**
   * Who takes the places under maxSubscribers and maxSubscribersPerAddress: a `LocalDirectory` (the
   * limits hold per process), or a multi-process hub's directory (they hold per machine).
   */
  admission: SubscriberDirectory;
  /**
   * How long a node stays listed after its last heartbeat; it heartbeats every third of it.
   * Default 15,000 ms.
   */
  ttlMs?: number | undefined;
  /**
   * The store through which the subscription events of a dead node's subscribers are published
   * (`active: false`); none when undefined (subscription events are off).
   */
  events?: UpdateStore | undefined;
  /** Where presence errors go (Redis down): they never refuse a subscription. Default: silent. */
  logger?: Logger | undefined;
}

/** The Lua scripts, as ioredis commands. */
interface PresenceCommands {
  /** The field/value pairs go as one array: ioredis flattens it (a spread of 100,000s would overflow the stack). */
  spoutPresenceBeat(...keysThenArgs: (string | number | string[])[]): Promise<[number, string[], string[]]>;
  spoutPresenceOthers(...keysThenArgs: (string | number)[]): Promise<string[] | number>;
}

/**
 * Connects and returns a directory spanning every node on this Redis and key prefix: `admission`
 * checks the limits, listing and counting cover the live nodes. Rejects with a StoreError
 * (REDIS_UNAVAILABLE) when Redis cannot be reached.
 */
export async function createRedisDirectory(options: RedisDirectoryOptions): Promise<RedisDirectory> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const settings = resolveSettings(options.redis);
  const client = await connectCommands(options.redis, settings, (error) =>
    logger.warn({ err: error }, 'presence: Redis connection error'),
  );
  client.defineCommand('spoutPresenceBeat', { lua: BEAT, numberOfKeys: 2 });
  client.defineCommand('spoutPresenceOthers', { lua: OTHERS, numberOfKeys: 1 });
  const directory = new RedisDirectory(client, settings.prefix, options, logger);
  await directory.beat();
  return directory;
}

/** The subscribers of every node sharing a Redis key prefix; this node's are mirrored into Redis. */
export class RedisDirectory implements SubscriberDirectory {
  /** This node's name in Redis: one per directory, so a restarted process is a new node. */
  readonly nodeId = randomUUID();
  readonly #admission: SubscriberDirectory;
  /** This node's own subscribers, as mirrored into Redis. */
  readonly #own = new Map<string, DirectoryEntry>();
  readonly #client: RedisClient;
  readonly #commands: PresenceCommands;
  readonly #nodes: string;
  readonly #hashPrefix: string;
  readonly #ownHash: string;
  readonly #ttlMs: number;
  readonly #events: UpdateStore | undefined;
  readonly #logger: Logger;
  readonly #timer: NodeJS.Timeout;
  readonly #publishing = new Set<Promise<void>>();
  /** Redis may lack some of this node's subscribers: the next heartbeat rewrites its hash whole. */
  #stale = true;
  /** The first heartbeat went through: from then on, missing from Redis means taken for dead. */
  #joined = false;
  /** A write or heartbeat failed and none went through since: the failure was logged once. */
  #failing = false;
  #beating: Promise<void> | undefined;
  #closed = false;

  constructor(client: RedisClient, prefix: string, options: RedisDirectoryOptions, logger: Logger) {
    this.#admission = options.admission;
    this.#client = client;
    this.#commands = client as unknown as PresenceCommands;
    // The store's prefix, hence its {hash tag}: the same Cluster slot as the store's keys.
    this.#nodes = `${prefix}presence`;
    this.#hashPrefix = `${prefix}presence:`;
    this.#ownHash = this.#hashPrefix + this.nodeId;
    this.#ttlMs = options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS;
    this.#events = options.events;
    this.#logger = logger;
    this.#timer = setInterval(() => void this.beat(), Math.max(1, Math.round(this.#ttlMs / 3)));
    this.#timer.unref();
    // After a reconnect Redis may be another one (a failover) or have restarted empty.
    client.on('ready', () => this.#markStale());
  }

  async admit(subscriber: DirectoryEntry): Promise<void> {
    const entry = plainEntry(subscriber);
    await this.#admission.admit(entry);
    this.#own.set(entry.subscriber, entry);
    if (!this.#closed) this.#write(this.#client.hset(this.#ownHash, entry.subscriber, JSON.stringify(entry)));
  }

  leave(subscriber: string): void {
    if (!this.#own.delete(subscriber)) return;
    this.#admission.leave(subscriber);
    if (!this.#closed) this.#write(this.#client.hdel(this.#ownHash, subscriber));
  }

  /** This node's subscribers, then those of every other node heard from within the TTL. */
  async list(): Promise<readonly DirectoryEntry[]> {
    const others = (await this.#others('list')) as string[];
    return [...this.#own.values(), ...others.map(parseEntry)];
  }

  async count(): Promise<number> {
    return this.#own.size + Number(await this.#others('count'));
  }

  /**
   * Heartbeat and reaper (every third of the TTL, and once at start): refreshes this node's score,
   * rewrites its hash when Redis may lack some of it, and claims dead nodes, announcing their
   * subscribers inactive. Failures are logged; the next heartbeat tries again.
   */
  beat(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#beating ??= this.#beat().finally(() => {
      this.#beating = undefined;
    });
    return this.#beating;
  }

  async #beat(): Promise<void> {
    const rewrite = this.#stale;
    this.#stale = false;
    const pairs = rewrite
      ? [...this.#own.values()].flatMap((entry) => [entry.subscriber, JSON.stringify(entry)])
      : [];
    let reply: [number, string[], string[]];
    try {
      reply = await this.#commands.spoutPresenceBeat(
        this.#nodes,
        this.#ownHash,
        this.nodeId,
        this.#ttlMs,
        this.#hashPrefix,
        this.#ttlMs * EXPIRY_TTLS,
        MAX_REAPED,
        rewrite ? 1 : 0,
        pairs,
      );
    } catch (error) {
      this.#markStale(error);
      return;
    }
    if (this.#failing) this.#logger.info('presence: Redis answers again');
    this.#failing = false;
    const [missing, dead, entries] = reply;
    if (dead.length > 0) this.#announce(entries.map(parseEntry), false);
    const rejoined = Number(missing) === 1 && this.#joined;
    this.#joined = true;
    if (!rejoined) return;
    this.#rejoin();
    if (rewrite) return;
    // Its hash may be gone with it: written whole at once rather than a heartbeat later.
    this.#stale = true;
    return this.#beat();
  }

  /**
   * This node was missing from Redis though it had joined: another node took it for dead (its
   * heartbeat was later than the TTL) and announced its subscribers inactive, or Redis lost it.
   * Its subscribers, still connected, are announced active again.
   */
  #rejoin(): void {
    this.#logger.warn(
      { node: this.nodeId, ttlMs: this.#ttlMs },
      'presence: this node was missing from Redis (a heartbeat later than the TTL, or Redis lost its data): rejoining',
    );
    this.#announce([...this.#own.values()], true);
  }

  /** Publishes subscription events for these entries, when they are on; close() waits for them. */
  #announce(entries: readonly DirectoryEntry[], active: boolean): void {
    if (this.#events === undefined || entries.length === 0) return;
    const published = appendInChunks(this.#events, subscriptionEvents(entries, active)).catch(
      (error: unknown) => {
        this.#logger.warn({ err: error, active }, 'presence: subscription events not stored');
      },
    );
    this.#publishing.add(published);
    void published.finally(() => this.#publishing.delete(published));
  }

  async #others(mode: 'list' | 'count'): Promise<string[] | number> {
    try {
      return await this.#commands.spoutPresenceOthers(
        this.#nodes,
        this.nodeId,
        this.#ttlMs,
        this.#hashPrefix,
        mode,
      );
    } catch (error) {
      throw new StoreUnavailableError(
        `Redis did not answer for the subscribers of other nodes: ${toError(error).message}`,
        false,
        error,
      );
    }
  }

  /** An incremental write; when it fails, the next heartbeat rewrites this node's hash whole. */
  #write(command: Promise<unknown>): void {
    command.catch((error: unknown) => this.#markStale(error));
  }

  /** Redis may lack some of this node's subscribers; the error, when there is one, is logged once per outage. */
  #markStale(error?: unknown): void {
    if (error !== undefined && !this.#failing) {
      this.#failing = true;
      this.#logger.warn(
        { err: error },
        'presence: a write to Redis failed; the next heartbeat writes this node again',
      );
    }
    this.#stale = true;
  }

  /** Stops the heartbeat and removes this node from Redis: its subscribers are gone from every list. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#beating;
    await Promise.allSettled([...this.#publishing]);
    try {
      await Promise.all([this.#client.zrem(this.#nodes, this.nodeId), this.#client.del(this.#ownHash)]);
    } catch (error) {
      this.#logger.warn(
        { err: error },
        'presence: this node could not remove itself from Redis; it expires after the TTL',
      );
    }
    await this.#admission.close();
    // QUIT fails when the connection is already down: then there is nothing left to release but the socket.
    await this.#client.quit().catch(() => {});
    this.#client.disconnect();
  }
}
