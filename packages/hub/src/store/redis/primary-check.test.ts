import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { StoreError } from '../errors.ts';
import { waitUntil } from '../testing/redis-fixture.ts';
import { startRedisServer, type TestRedisServer } from '../testing/redis-server.ts';
import type { StoredUpdate } from '../types.ts';
import { encodePayload } from './entries.ts';
import { watchPrimaryRole } from './primary-check.ts';
import { StreamReader } from './reader.ts';

const STREAM = 'test:{primary-check}:stream';
const COUNTER = 'test:{primary-check}:counter';

/** A connection, connected, that counts its (re)connections. */
async function connectCounting(
  server: TestRedisServer,
): Promise<{ connection: Redis; readies: () => number }> {
  const connection = new Redis(server.url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  let readies = 0;
  connection.on('ready', () => readies++);
  connection.on('error', () => {});
  await connection.connect();
  return { connection, readies: () => readies };
}

/** A connection to `server` under watchPrimaryRole (every 20 ms), and the errors it reports. */
async function watched(server: TestRedisServer) {
  const { connection, readies } = await connectCounting(server);
  const errors: Error[] = [];
  const stop = watchPrimaryRole(connection, 20, (error) => errors.push(error));
  const close = () => {
    stop();
    connection.disconnect();
  };
  return { connection, readies, errors, close };
}

describe(
  'a Sentinel store’s connections leave a server that is no longer the primary',
  { timeout: 60_000 },
  () => {
    let primary: TestRedisServer;
    let replica: TestRedisServer;
    before(async () => {
      [primary, replica] = await Promise.all([startRedisServer(), startRedisServer()]);
      const admin = new Redis(primary.url);
      await admin.call(
        'XADD',
        STREAM,
        '1-0',
        'u',
        encodePayload({ id: 'a', topics: ['t'], data: 'x', private: false }),
      );
      await admin.set(COUNTER, 1);
      admin.disconnect();
      const toReplica = new Redis(replica.url);
      await toReplica.call('REPLICAOF', '127.0.0.1', String(primary.port));
      await waitUntil(async () => (await toReplica.call('XLEN', STREAM)) === 1);
      toReplica.disconnect();
    });
    after(async () => {
      await Promise.all([primary?.stop(), replica?.stop()]);
    });

    it('the stream reader delivers nothing read from a replica: it reports REDIS_NOT_PRIMARY and reconnects', async () => {
      const { connection, readies } = await connectCounting(replica);
      const delivered: StoredUpdate[] = [];
      const failures: Error[] = [];
      const reader = new StreamReader({
        connection,
        counter: COUNTER,
        stream: STREAM,
        after: 0,
        batchSize: 10,
        blockMs: 100,
        deliver: (update) => delivered.push(update),
        gap: (error) => failures.push(error),
        fail: (error) => failures.push(error),
        primaryOnly: true,
      });
      try {
        await waitUntil(async () => failures.length > 0 && readies() >= 2);
        assert.equal((failures[0] as StoreError).code, 'REDIS_NOT_PRIMARY');
        assert.deepEqual(delivered, [], 'an update was read from a replica');
      } finally {
        reader.stop();
        connection.disconnect();
        await reader.done;
      }
    });

    it('the command connection, checked every interval, reports REDIS_NOT_PRIMARY and reconnects', async () => {
      const { readies, errors, close } = await watched(replica);
      try {
        await waitUntil(async () => errors.length > 0 && readies() >= 2);
        assert.equal((errors[0] as StoreError).code, 'REDIS_NOT_PRIMARY');
      } finally {
        close();
      }
    });

    it('a connection to the primary is left alone', async () => {
      const { connection, readies, errors, close } = await watched(primary);
      try {
        // Ten checks' worth: each one would have reported a replica.
        let roles = 0;
        await waitUntil(async () => {
          assert.equal(((await connection.call('ROLE')) as unknown[])[0], 'master');
          return ++roles >= 10;
        });
        assert.deepEqual(errors, []);
        assert.equal(readies(), 1);
      } finally {
        close();
      }
    });
  },
);
