import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { StoreError, StoreUnavailableError, WatchGapError } from '../errors.ts';
import { collect, describeStoreConformance, makeUpdate } from '../testing/conformance.ts';
import { startRedisServer, type TestRedisServer } from '../testing/redis-server.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';
import type { StoredUpdate, UpdateStore } from '../types.ts';
import { createRedisStore, type RedisStoreOptions } from './redis.ts';

let server: TestRedisServer;
let prefixes = 0;
/** Each test gets its own keys on the shared test server. */
const freshPrefix = () => `test:{${process.pid}.${prefixes++}}:`;

before(async () => {
  server = await startRedisServer();
});
after(async () => {
  await server.stop();
});

describeStoreConformance('redis', async () => {
  return {
    // Every store on fresh keys, like a fresh file or a fresh memory store.
    open: (retention) => createRedisStore({ ...retention, url: server.url, keyPrefix: freshPrefix() }),
    // Retention uses the Redis server's clock: really wait.
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 50)),
    maxAgeMs: 1000,
    dispose: async () => {},
  };
});

describe('redis store', { timeout: 300_000 }, () => {
  const stores: UpdateStore[] = [];
  const open = async (options: Partial<RedisStoreOptions> & { keyPrefix: string }) => {
    const store = await createRedisStore({ url: server.url, ...options });
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('two nodes see each other’s appends in the same total order, and lose nothing acknowledged', async () => {
    const keyPrefix = freshPrefix();
    const [a, b] = await Promise.all([open({ keyPrefix }), open({ keyPrefix })]);
    const total = 400;
    const seenByA = collect(a, total);
    const seenByB = collect(b, total);
    const acknowledged: StoredUpdate[] = [];
    const publish = async (node: UpdateStore, rounds: number) => {
      for (let i = 0; i < rounds; i++) {
        const batch = i % 2 === 0 ? [makeUpdate()] : [makeUpdate(), makeUpdate(), makeUpdate()];
        acknowledged.push(...(await node.append(batch)));
      }
    };
    await Promise.all([publish(a, 100), publish(b, 100)]);
    assert.equal(acknowledged.length, total);
    const [fromA, fromB] = await Promise.all([seenByA, seenByB]);
    assert.deepEqual(fromA, fromB);
    const byPosition = [...acknowledged].sort((x, y) => x.position - y.position);
    assert.deepEqual(fromA, byPosition);
    assert.deepEqual(await b.readAfter(0, 1000), byPosition);
  });

  it('keeps delivering in order after the reading connection is killed', async () => {
    const keyPrefix = freshPrefix();
    const quiet = { keyPrefix, onError: () => {} };
    const [a, b] = await Promise.all([open(quiet), open(quiet)]);
    const seen = collect(a, 3);
    const first = await b.append([makeUpdate()]);
    const admin = new Redis(server.url);
    try {
      // Kills every blocked XREAD connection, including a's reader; ioredis reconnects it.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    } finally {
      admin.disconnect();
    }
    const rest = await appendWhenReachable(b, 2);
    assert.deepEqual(await seen, [...first, ...rest]);
  });

  it('resumes delivering after its reading connection dies silently (no reply, no reset)', async () => {
    const keyPrefix = freshPrefix();
    const proxy = await startTcpProxy(server.port);
    try {
      const quiet = { keyPrefix, onError: () => {} };
      const behindProxy = await open({ ...quiet, url: `redis://127.0.0.1:${proxy.port}`, blockMs: 100 });
      const direct = await open(quiet);
      const received = collect(behindProxy, 1);
      proxy.silenceExisting();
      const stored = await direct.append([makeUpdate()]);
      assert.deepEqual(await received, stored);
    } finally {
      await proxy.close();
    }
  });

  it('rejects an append on a silently dead connection after socketTimeout instead of hanging', async () => {
    const proxy = await startTcpProxy(server.port);
    try {
      const url = `redis://127.0.0.1:${proxy.port}`;
      const store = await open({
        keyPrefix: freshPrefix(),
        url,
        onError: () => {},
        redis: { socketTimeout: 300 },
      });
      proxy.silenceExisting();
      await assert.rejects(store.append([makeUpdate()]), (error: unknown) => {
        return error instanceof StoreUnavailableError && error.ambiguous;
      });
    } finally {
      await proxy.close();
    }
  });

  it('tells a watcher that fell behind retention which positions it missed (WatchGapError)', async () => {
    const keyPrefix = freshPrefix();
    const errors: Error[] = [];
    const watcher = await open({ keyPrefix, readBatchSize: 1 });
    const received = new Promise<StoredUpdate>((resolve) =>
      watcher.watch(resolve, { onError: (error) => errors.push(error) }),
    );
    const writer = await open({ keyPrefix, maxCount: 1 });
    const stored = await writer.append(Array.from({ length: 10 }, () => makeUpdate()));
    assert.equal((await received).position, stored[9]!.position);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof WatchGapError);
    assert.deepEqual([errors[0].from, errors[0].to], [stored[0]!.position, stored[8]!.position]);
  });

  it('reports and skips a stream entry it cannot decode, and keeps delivering', async () => {
    const keyPrefix = freshPrefix();
    const errors: Error[] = [];
    const store = await open({ keyPrefix, onError: (error) => errors.push(error) });
    const received = collect(store, 1);
    const admin = new Redis(server.url);
    try {
      await admin.incr(`${keyPrefix}seq`);
      await admin.xadd(`${keyPrefix}stream`, '1-0', 'garbage', 'x');
    } finally {
      admin.disconnect();
    }
    const stored = await store.append([makeUpdate()]);
    assert.deepEqual(await received, stored);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof StoreError && errors[0].code === 'CORRUPT_ENTRY');
  });

  it('trims the stream and the id index together, a backlog larger than one step included', async () => {
    const keyPrefix = freshPrefix();
    const store = await open({ keyPrefix, maxCount: 10 });
    await store.append(Array.from({ length: 2500 }, () => makeUpdate()));
    assert.equal((await store.readAfter(0, 10_000)).length, 10);
    const admin = new Redis(server.url);
    try {
      await waitUntil(async () => (await admin.xlen(`${keyPrefix}stream`)) === 10);
      assert.equal(await admin.hlen(`${keyPrefix}ids`), 10);
    } finally {
      admin.disconnect();
    }
  });

  it('keeps every acknowledged update across a Redis crash when Redis fsyncs every write (appendfsync always)', async () => {
    const durable = await startRedisServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    try {
      const keyPrefix = freshPrefix();
      const store = await createRedisStore({ url: durable.url, keyPrefix, onError: () => {} });
      const acknowledged = (
        await Promise.all(Array.from({ length: 50 }, () => store.append([makeUpdate(), makeUpdate()])))
      ).flat();
      await durable.kill();
      await store.close();
      await durable.restart();
      const reopened = await createRedisStore({ url: durable.url, keyPrefix });
      try {
        assert.deepEqual(await reopened.readAfter(0, 1000), acknowledged);
      } finally {
        await reopened.close();
      }
    } finally {
      await durable.stop();
    }
  });

  it('rejects appends and reads with StoreUnavailableError while Redis is down, and appends again once it is back', async () => {
    const flaky = await startRedisServer();
    try {
      const store = await createRedisStore({ url: flaky.url, keyPrefix: freshPrefix(), onError: () => {} });
      try {
        await flaky.kill();
        await assert.rejects(store.append([makeUpdate()]), StoreUnavailableError);
        await assert.rejects(store.readAfter(0, 10), StoreUnavailableError);
        await flaky.restart();
        assert.equal((await appendWhenReachable(store, 1)).length, 1);
      } finally {
        await store.close();
      }
    } finally {
      await flaky.stop();
    }
  });

  it('with replicas: resolves once a replica has the append, rejects (ambiguous) when none confirms in time', async () => {
    const primary = await startRedisServer(['--repl-diskless-sync-delay', '0']);
    const replica = await startRedisServer(['--replicaof', '127.0.0.1', String(primary.port)]);
    const admin = new Redis(replica.url);
    const primaryAdmin = new Redis(primary.url);
    try {
      await waitUntil(async () => /slave0:.*state=online/.test(await primaryAdmin.info('replication')));
      const keyPrefix = freshPrefix();
      // Generous: a replica that has just synced may take up to its 1 s ack period to answer the first WAIT.
      const patient = await createRedisStore({
        url: primary.url,
        keyPrefix,
        replicas: 1,
        replicaTimeoutMs: 5000,
      });
      const hasty = await createRedisStore({
        url: primary.url,
        keyPrefix,
        replicas: 1,
        replicaTimeoutMs: 100,
      });
      try {
        const [stored] = await patient.append([makeUpdate()]);
        assert.equal(await admin.hget(`${keyPrefix}ids`, stored!.id), String(stored!.position));
        admin.disconnect();
        await replica.stop();
        await assert.rejects(hasty.append([makeUpdate()]), (error: unknown) => {
          return (
            error instanceof StoreUnavailableError && error.ambiguous && /0 of 1 replicas/.test(error.message)
          );
        });
      } finally {
        await patient.close();
        await hasty.close();
      }
    } finally {
      admin.disconnect();
      primaryAdmin.disconnect();
      await replica.stop();
      await primary.stop();
    }
  });

  it('refuses bad options with a RangeError naming them, before connecting', async () => {
    await assert.rejects(
      createRedisStore({ url: 'localhost:6379' }),
      /url must start with redis:\/\/ or rediss:\/\//,
    );
    await assert.rejects(
      createRedisStore({ url: server.url, readBatchSize: 0 }),
      /readBatchSize must be an integer >= 1/,
    );
    await assert.rejects(
      createRedisStore({ url: server.url, maxAgeMs: -1 }),
      /maxAgeMs must be an integer >= 1/,
    );
  });

  it('rejects with REDIS_UNAVAILABLE when Redis cannot be reached', async () => {
    const gone = await startRedisServer();
    await gone.stop();
    await assert.rejects(
      createRedisStore({ url: gone.url, redis: { retryStrategy: () => null } }),
      (error: unknown) => error instanceof StoreError && error.code === 'REDIS_UNAVAILABLE',
    );
  });
});

/** Appends `count` single updates, retrying while the connection is being re-established. */
async function appendWhenReachable(store: UpdateStore, count: number): Promise<StoredUpdate[]> {
  const stored: StoredUpdate[] = [];
  for (let i = 0; i < count; i++) {
    const update = makeUpdate();
    await waitUntil(async () => {
      try {
        stored.push(...(await store.append([update])));
        return true;
      } catch {
        return false;
      }
    });
  }
  return stored;
}

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
