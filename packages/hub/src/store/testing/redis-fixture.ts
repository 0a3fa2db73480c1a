import { after, afterEach, before } from 'node:test';
import { createRedisStore, type RedisStoreOptions } from '../redis/redis.ts';
import type { StoredUpdate, UpdateStore } from '../types.ts';
import { makeUpdate } from './conformance.ts';
import { startRedisServer, type TestRedisServer } from './redis-server.ts';

let prefixes = 0;
/** Keys of their own for each store or test on a shared test server. */
export const freshPrefix = (): string => `test:{${process.pid}.${prefixes++}}:`;

/** What a Redis test file gets from {@link useRedis}. */
export interface RedisFixture {
  /** The server this file started (valid inside tests). */
  server(): TestRedisServer;
  /** Opens a store on that server (or on `options.url`); closed after the test. */
  open(options: Partial<RedisStoreOptions> & { keyPrefix: string }): Promise<UpdateStore>;
}

/** Starts a redis-server for the calling test file (stopped after it) and closes its stores after each test. */
export function useRedis(): RedisFixture {
  let server: TestRedisServer | undefined;
  const stores: UpdateStore[] = [];
  before(async () => {
    server = await startRedisServer();
  });
  after(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });
  const current = () => {
    if (!server) throw new Error('the test redis-server is not started yet');
    return server;
  };
  return {
    server: current,
    open: async (options) => {
      const store = await createRedisStore({ url: current().url, ...options });
      stores.push(store);
      return store;
    },
  };
}

/** Polls `check` every 20 ms until it is true; fails after 30 s. */
export async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Runs `operation` until it succeeds, retrying while the store's connection is being re-established. */
export async function whenReachable<T>(operation: () => Promise<T>): Promise<T> {
  let result: { value: T } | undefined;
  await waitUntil(async () => {
    try {
      result = { value: await operation() };
      return true;
    } catch {
      return false;
    }
  });
  return result!.value;
}

/** Appends `count` single updates, retrying each while the connection is being re-established. */
export async function appendWhenReachable(store: UpdateStore, count: number): Promise<StoredUpdate[]> {
  const stored: StoredUpdate[] = [];
  for (let i = 0; i < count; i++) {
    const update = makeUpdate();
    stored.push(...(await whenReachable(() => store.append([update]))));
  }
  return stored;
}
