import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { HistoryRewoundError, StoreError, StoreUnavailableError } from '../errors.ts';
import { collect, makeUpdate } from '../testing/conformance.ts';
import {
  appendWhenReachable,
  freshPrefix,
  useRedis,
  waitUntil,
  whenReachable,
} from '../testing/redis-fixture.ts';
import { startRedisServer } from '../testing/redis-server.ts';
import { startTcpProxy } from '../testing/tcp-proxy.ts';
import type { StoredUpdate } from '../types.ts';
import { createRedisStore } from './redis.ts';

const redis = useRedis();

describe('redis store failures', { timeout: 300_000 }, () => {
  const open = redis.open;

  it('keeps delivering in order after the reading connection is killed', async () => {
    const keyPrefix = freshPrefix();
    const quiet = { keyPrefix, onError: () => {} };
    const [a, b] = await Promise.all([open(quiet), open(quiet)]);
    const seen = collect(a, 3);
    const first = await b.append([makeUpdate()]);
    const admin = new Redis(redis.server().url);
    try {
      // Kills every blocked XREAD connection, including a's reader; ioredis reconnects it.
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    } finally {
      admin.disconnect();
    }
    const rest = await appendWhenReachable(b, 2);
    assert.deepEqual(await seen, [...first, ...rest]);
  });

  it('after a reconnect, rewinds to what the stream still holds when a failover lost delivered updates', async () => {
    const keyPrefix = freshPrefix();
    const errors: Error[] = [];
    const [watcher, writer] = await Promise.all([
      open({ keyPrefix, onError: () => {} }),
      open({ keyPrefix, onError: () => {} }),
    ]);
    const delivered: StoredUpdate[] = [];
    watcher.watch((update) => delivered.push(update), { onError: (error) => errors.push(error) });
    const [kept, lost] = await writer.append([makeUpdate(), makeUpdate()]);
    await waitUntil(async () => delivered.length === 2);
    const admin = new Redis(redis.server().url);
    try {
      // What a promoted replica that never got the second update holds, then every client reconnecting.
      await admin.xdel(`${keyPrefix}stream`, `${lost!.position}-0`);
      await admin.call('XSETID', `${keyPrefix}stream`, `${kept!.position}-0`);
      await admin.hdel(`${keyPrefix}ids`, lost!.id);
      await admin.decr(`${keyPrefix}seq`);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    } finally {
      admin.disconnect();
    }
    const [replacement] = await appendWhenReachable(writer, 1);
    assert.equal(replacement!.position, lost!.position);
    await waitUntil(async () => delivered.length === 3);
    assert.deepEqual(delivered, [kept, lost, replacement]);
    const rewinds = errors.filter((error) => error instanceof HistoryRewoundError);
    assert.equal(rewinds.length, 1);
    assert.deepEqual(
      [rewinds[0]!.after, rewinds[0]!.afterId, rewinds[0]!.through],
      [kept!.position, kept!.id, lost!.position],
    );
    // A subscriber whose last event was the lost update resumes after the last one that held.
    // Its command connection may still be reconnecting after the kill.
    assert.equal(await whenReachable(() => watcher.positionOf(lost!.id)), kept!.position);
  });

  it('resumes delivering after its reading connection dies silently (no reply, no reset)', async () => {
    const keyPrefix = freshPrefix();
    const proxy = await startTcpProxy(redis.server().port);
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
    const proxy = await startTcpProxy(redis.server().port);
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

  it('rejects with REDIS_UNAVAILABLE when Redis cannot be reached', async () => {
    const gone = await startRedisServer();
    await gone.stop();
    await assert.rejects(
      createRedisStore({ url: gone.url, redis: { retryStrategy: () => null } }),
      (error: unknown) => error instanceof StoreError && error.code === 'REDIS_UNAVAILABLE',
    );
  });
});
