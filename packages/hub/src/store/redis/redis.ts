import { StoreCore } from '../core.ts';
import { DuplicateIdError, StoreError, StoreUnavailableError } from '../errors.ts';
import { GroupCommit, type PendingAppend } from '../group-commit.ts';
import { checkReadAfter } from '../options.ts';
import { toStored } from '../stored.ts';
import type { StoredUpdate, StoreSize, Update, UpdateStore, WatchOptions } from '../types.ts';
import { toError } from '../watchers.ts';
import { connect, defineScripts, type RedisClient, type ScriptCommands } from './connection.ts';
import { decodeEntries, encodePayload } from './entries.ts';
import { PRIMARY_CHECK_MS, watchPrimaryRole } from './primary-check.ts';
import { StreamReader } from './reader.ts';
import { type RedisKeys, type RedisSettings, type RedisStoreOptions, resolveSettings } from './settings.ts';

export type { RedisStoreOptions } from './settings.ts';

/** Entries trimmed per script call: bounds how long one call holds Redis. */
const CHUNK = 1000;
/**
 * Updates grouped into one append script call (an append larger than this goes alone: it is
 * never split). Small enough that several calls of one turn are pipelined, so Redis runs one
 * while Node settles the previous; large enough to amortise the per-call cost.
 */
const MAX_UPDATES_PER_CALL = 64;

/**
 * Connects and returns a store in Redis shared by any number of hub processes and nodes.
 * Positions come from one counter incremented in the same Lua script that adds the
 * entries to a stream, so every node sees one total order; each store reads the stream
 * with a blocking XREAD on its own connection and delivers to its watchers in that order.
 * Durability is Redis's: see docs/deployment-redis.md (appendonly, appendfsync).
 * Rejects with a StoreError (code REDIS_UNAVAILABLE) when Redis cannot be reached.
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<UpdateStore> {
  const core = new StoreCore(options);
  const settings = resolveSettings(options);
  const { client, reader } = await connect(options, settings, core.options.onError);
  defineScripts(client);
  try {
    const latest = Number((await client.get(settings.keys[0])) ?? 0);
    return new RedisStore(settings, core, client, reader, latest);
  } catch (error) {
    client.disconnect();
    reader.disconnect();
    throw new StoreError('REDIS_UNAVAILABLE', `Redis did not answer: ${toError(error).message}`, {
      cause: error,
    });
  }
}

class RedisStore implements UpdateStore {
  readonly #core: StoreCore;
  readonly #client: RedisClient;
  readonly #scripts: ScriptCommands;
  readonly #readerConnection: RedisClient;
  readonly #reader: StreamReader;
  readonly #keys: RedisKeys;
  readonly #settings: RedisSettings;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #group: GroupCommit;
  #stopPrimaryCheck = (): void => {};

  constructor(
    settings: RedisSettings,
    core: StoreCore,
    client: RedisClient,
    reader: RedisClient,
    latest: number,
  ) {
    this.#core = core;
    this.#client = client;
    this.#scripts = client as unknown as ScriptCommands;
    this.#readerConnection = reader;
    this.#keys = settings.keys;
    this.#settings = settings;
    this.#reader = new StreamReader({
      connection: reader,
      counter: this.#keys[0],
      stream: this.#keys[1],
      after: latest,
      batchSize: settings.readBatchSize,
      blockMs: settings.blockMs,
      deliver: (update) => core.watchers.deliver(update),
      gap: (error) => core.watchers.fail(error),
      fail: core.options.onError,
      primaryOnly: settings.target.kind === 'sentinel',
    });
    if (settings.target.kind === 'sentinel')
      this.#stopPrimaryCheck = watchPrimaryRole(client, PRIMARY_CHECK_MS, core.options.onError);
    this.#group = new GroupCommit(core.budget, (appends) => this.#commit(appends));
    core.startTrimTimer(() => this.#scheduleTrim());
  }

  async append(updates: readonly Update[]): Promise<StoredUpdate[]> {
    if (!this.#core.admit(updates)) return [];
    return this.#group.add(updates);
  }

  /** Group commit: the appends of one turn in as few script calls as fit MAX_UPDATES_PER_CALL, pipelined. */
  #commit(appends: PendingAppend[]): void {
    let group: PendingAppend[] = [];
    let size = 0;
    for (const append of appends) {
      if (size > 0 && size + append.updates.length > MAX_UPDATES_PER_CALL) {
        void this.#track(this.#appendGroup(group));
        group = [];
        size = 0;
      }
      group.push(append);
      size += append.updates.length;
    }
    void this.#track(this.#appendGroup(group));
  }

  async #appendGroup(appends: PendingAppend[]): Promise<void> {
    const args = appends.flatMap(({ updates }) => [
      updates.length,
      ...updates.flatMap((update) => [update.id, encodePayload(update), Buffer.byteLength(update.data)]),
    ]);
    // #commit tracks this whole group (script and WAIT) for close(): the calls need no tracking of their own.
    const [reply] = await Promise.allSettled([
      this.#scripts.spoutAppend(...this.#keys, ...this.#retentionArgs(), CHUNK, ...args),
    ]);
    if (reply.status === 'rejected') {
      const message = `Redis did not acknowledge the append: ${toError(reply.reason).message}`;
      const unavailable = new StoreUnavailableError(message, this.#client.status !== 'ready', reply.reason);
      for (const append of appends) append.reject(unavailable);
      return;
    }
    // After the reply (ioredis may have re-sent the script as EVAL): WAIT covers every write of this connection so far.
    const { replicas, replicaTimeoutMs } = this.#settings;
    const [acknowledged] = await Promise.allSettled([
      replicas > 0 ? this.#client.call('WAIT', replicas, replicaTimeoutMs) : replicas,
    ]);
    const replicated = acknowledged.status === 'fulfilled' ? Number(acknowledged.value) : 0;
    const shortfall =
      replicated < replicas
        ? new StoreUnavailableError(
            `stored on the Redis primary, but only ${replicated} of ${replicas} replicas confirmed it within ${replicaTimeoutMs} ms: a failover could lose it`,
            true,
            acknowledged.status === 'rejected' ? acknowledged.reason : undefined,
          )
        : undefined;
    this.#settle(appends, reply.value, shortfall);
  }

  /** Settles each append of a script call from its reply: positions, or the duplicate id. */
  #settle(appends: PendingAppend[], reply: unknown[], shortfall: StoreUnavailableError | undefined): void {
    const publishedAt = Number(reply[0]);
    appends.forEach(({ updates, resolve, reject }, index) => {
      const result = reply[index + 2];
      if (typeof result === 'string') reject(new DuplicateIdError(result));
      else if (shortfall) reject(shortfall);
      else resolve(updates.map((update, offset) => toStored(update, Number(result) + offset, publishedAt)));
    });
    if (Number(reply[1]) === CHUNK) this.#scheduleTrim();
  }

  async positionOf(id: string): Promise<number | undefined> {
    this.#core.checkOpen();
    const position = await this.#read(
      this.#scripts.spoutPositionOf(...this.#keys, id, this.#retentionArgs()[0]),
    );
    // An update a failover took back after this node delivered it: resume after what still holds.
    return position === null ? this.#reader.rewoundPosition(id) : Number(position);
  }

  async readAfter(after: number, limit: number): Promise<StoredUpdate[]> {
    this.#core.checkOpen();
    checkReadAfter(after, limit);
    const reply = await this.#read(
      this.#scripts.spoutReadAfter(...this.#keys, after, limit, this.#retentionArgs()[0]),
    );
    return decodeEntries(reply);
  }

  async latestPosition(): Promise<number> {
    this.#core.checkOpen();
    return Number((await this.#read(this.#client.get(this.#keys[0]))) ?? 0);
  }

  async earliestPosition(): Promise<number> {
    this.#core.checkOpen();
    const [earliest, latest] = (
      await this.#read(this.#scripts.spoutBounds(...this.#keys, this.#retentionArgs()[0]))
    ).map(Number);
    return earliest || latest! + 1;
  }

  async size(): Promise<StoreSize> {
    this.#core.checkOpen();
    const [updates, bytes] = (
      await this.#read(this.#scripts.spoutSize(...this.#keys, this.#retentionArgs()[0], CHUNK))
    ).map(Number);
    return { updates: updates!, bytes: bytes! };
  }

  watch(listener: (update: StoredUpdate) => void, options?: WatchOptions): () => void {
    return this.#core.watch(listener, options);
  }

  async close(): Promise<void> {
    if (this.#core.closed) return;
    this.#group.flush();
    this.#core.beginClose();
    this.#stopPrimaryCheck();
    await Promise.allSettled([...this.#inFlight]);
    this.#reader.stop();
    this.#readerConnection.disconnect();
    await this.#reader.done;
    this.#core.watchers.clear();
    // QUIT fails when the connection is already down: then there is nothing left to release but the socket.
    // disconnect() after it also closes what QUIT does not: Sentinel mode's failover detector connections.
    await this.#client.quit().catch(() => {});
    this.#client.disconnect();
  }

  /** maxCount and maxAgeMs as the scripts take them: 0 for none. */
  #retentionArgs(): [number, number] {
    const { maxCount, maxAgeMs } = this.#core.options;
    return [Number.isFinite(maxCount) ? maxCount : 0, Number.isFinite(maxAgeMs) ? maxAgeMs : 0];
  }

  /** A read: tracked, and a failure is a StoreUnavailableError (nothing to be ambiguous about). */
  async #read<T>(command: Promise<T>): Promise<T> {
    try {
      return await this.#track(command);
    } catch (error) {
      throw new StoreUnavailableError(`Redis did not answer a read: ${toError(error).message}`, false, error);
    }
  }

  /** Remembers a command until it settles, so close() waits for it. */
  #track<T>(command: Promise<T>): Promise<T> {
    this.#inFlight.add(command);
    const forget = () => this.#inFlight.delete(command);
    command.then(forget, forget);
    return command;
  }

  #scheduleTrim(): void {
    const step = async () =>
      Number(await this.#track(this.#scripts.spoutTrim(...this.#keys, ...this.#retentionArgs(), CHUNK)));
    this.#core.scheduleTrim(step, CHUNK);
  }
}
