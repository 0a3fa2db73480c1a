import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { StoreOverloadedError, StoreUnavailableError, WatchGapError } from '../errors.ts';
import { collect, describeStoreConformance, makeUpdate } from '../testing/conformance.ts';
import { temporaryDirectory } from '../testing/temp-dir.ts';
import type { StoredUpdate, UpdateStore } from '../types.ts';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite.ts';

/** A child process that appends until it is killed, printing each acknowledged id. */
const APPENDER = join(import.meta.dirname, '..', 'testing', 'sqlite-append-until-killed.ts');

describeStoreConformance('sqlite', async () => {
  const dir = await temporaryDirectory();
  let clock = 1_700_000_000_000;
  let files = 0;
  return {
    open: async (retention) =>
      createSqliteStore({ ...retention, path: join(dir.path, `${files++}.db`), now: () => clock }),
    elapse: async (ms) => {
      clock += ms;
    },
    maxAgeMs: 60_000,
    dispose: dir.dispose,
  };
});

/** Runs `body` with stores opened by `open` on files of one temporary directory, closing all after. */
async function withStores(
  body: (
    open: (options?: Partial<SqliteStoreOptions>, file?: string) => UpdateStore,
    dir: string,
  ) => Promise<void>,
) {
  const dir = await temporaryDirectory();
  const stores: UpdateStore[] = [];
  try {
    await body((options = {}, file = 'hub.db') => {
      const store = createSqliteStore({ path: join(dir.path, file), ...options });
      stores.push(store);
      return store;
    }, dir.path);
  } finally {
    for (const store of stores) await store.close();
    await dir.dispose();
  }
}

function waitFor<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  return new Promise((resolve, reject) => {
    const attempt = async () => {
      const value = await check();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(attempt, 10);
    };
    attempt().catch(reject);
  });
}

describe('sqlite store', { timeout: 300_000 }, () => {
  for (const synchronous of ['FULL', 'NORMAL'] as const) {
    it(`replays every acknowledged update after the appending process is killed with SIGKILL (synchronous=${synchronous})`, async () => {
      await withStores(async (open, dir) => {
        const path = join(dir, 'hub.db');
        const child = spawn(process.execPath, [APPENDER, path, synchronous], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          child.on('exit', (_code, signal) => resolve(signal)),
        );
        const acknowledged: string[] = [];
        for await (const line of createInterface({ input: child.stdout })) {
          acknowledged.push(line);
          if (acknowledged.length === 600) child.kill('SIGKILL');
        }
        assert.equal(await exited, 'SIGKILL');
        assert.ok(acknowledged.length >= 600);
        const store = open({}, 'hub.db');
        const kept = await store.readAfter(0, 1_000_000);
        const keptIds = new Set(kept.map((update) => update.id));
        assert.deepEqual(
          acknowledged.filter((id) => !keptIds.has(id)),
          [],
        );
        for (const id of acknowledged.slice(-20)) assert.ok((await store.positionOf(id)) !== undefined);
      });
    });
  }

  it('delivers every update of overlapping commits, in position order, by the time the last append settles', async () => {
    await withStores(async (open) => {
      const store = open();
      const seen: number[] = [];
      store.watch((update) => seen.push(update.position));
      // A large first commit, then one small append per turn: those commits are sent while the
      // ones before them are still being written.
      const large = Array.from({ length: 5000 }, () => makeUpdate({ data: 'x'.repeat(1000) }));
      const appends: Promise<StoredUpdate[]>[] = [store.append(large)];
      for (let i = 0; i < 40; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        appends.push(store.append([makeUpdate()]));
      }
      const stored = (await Promise.all(appends)).flat();
      assert.equal(stored.length, 5040);
      assert.deepEqual(
        seen,
        stored.map((update) => update.position),
      );
    });
  });

  it('delivers the updates another process appends to the shared file, in position order, on file events', async () => {
    await withStores(async (open, dir) => {
      // An interval far beyond the test's timeout: only WAL file events can deliver in time.
      const watcher = open({ pollIntervalMs: 3_600_000 });
      const received = collect(watcher, 300);
      const child = spawn(process.execPath, [APPENDER, join(dir, 'hub.db')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      const updates = await received;
      child.kill('SIGKILL');
      await exited;
      assert.deepEqual(updates, await watcher.readAfter(0, 300));
      assert.deepEqual(
        updates.map((update) => update.position),
        updates.map((_, index) => index + 1),
      );
    });
  });

  it('lets a process exit by itself once its appends are written, without close()', async () => {
    await withStores(async (_open, dir) => {
      const script = `
        import { createSqliteStore } from ${JSON.stringify(join(import.meta.dirname, 'sqlite.ts'))};
        const store = createSqliteStore({ path: ${JSON.stringify(join(dir, 'hub.db'))} });
        const [stored] = await store.append([{ id: 'a', topics: ['t'], data: 'd', private: false }]);
        console.log(stored.position);`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const code = await new Promise((resolve) => child.on('exit', resolve));
      assert.equal(code, 0);
      assert.equal(output.trim(), '1');
    });
  });

  it('keeps updates across close and reopen, and continues the positions', async () => {
    await withStores(async (open) => {
      const first = open();
      const stored = await first.append([makeUpdate(), makeUpdate()]);
      await first.close();
      const second = open();
      assert.deepEqual(await second.readAfter(0, 10), stored);
      const [next] = await second.append([makeUpdate()]);
      assert.equal(next!.position, stored[1]!.position + 1);
    });
  });

  it('commits appends made in the same event-loop turn together (group commit)', async () => {
    await withStores(async (open, dir) => {
      // Every commit appends at least one page frame (4096 + 24 bytes) to the WAL: its growth counts commits.
      const walFrames = async (file: string) => (await stat(join(dir, `${file}-wal`))).size / 4120;
      const concurrent = open({}, 'concurrent.db');
      const concurrentBefore = await walFrames('concurrent.db');
      await Promise.all(Array.from({ length: 100 }, () => concurrent.append([makeUpdate()])));
      const sequential = open({}, 'sequential.db');
      const sequentialBefore = await walFrames('sequential.db');
      for (let i = 0; i < 100; i++) await sequential.append([makeUpdate()]);
      assert.ok((await walFrames('sequential.db')) - sequentialBefore >= 100);
      assert.ok((await walFrames('concurrent.db')) - concurrentBefore < 10);
    });
  });

  it('rejects appends beyond maxPendingUpdates with StoreOverloadedError, storing nothing of them', async () => {
    await withStores(async (open) => {
      const store = open({ maxPendingUpdates: 3 });
      const accepted = store.append([makeUpdate(), makeUpdate()]);
      const refused = makeUpdate();
      await assert.rejects(store.append([refused, makeUpdate()]), StoreOverloadedError);
      await accepted;
      assert.equal(await store.positionOf(refused.id), undefined);
      assert.equal((await store.append([makeUpdate(), makeUpdate()])).length, 2);
    });
  });

  it('rejects appends with StoreUnavailableError when another process holds the write lock too long', async () => {
    await withStores(async (open, dir) => {
      const store = open({ busyTimeoutMs: 20 });
      const other = new DatabaseSync(join(dir, 'hub.db'));
      other.exec('BEGIN IMMEDIATE');
      try {
        const refused = makeUpdate();
        await assert.rejects(store.append([refused]), StoreUnavailableError);
        other.exec('ROLLBACK');
        assert.equal(await store.positionOf(refused.id), undefined);
        assert.equal((await store.append([makeUpdate()])).length, 1);
      } finally {
        other.close();
      }
    });
  });

  it('lets processes sharing one file see each other’s appends, in the same order', async () => {
    await withStores(async (open) => {
      const a = open({ pollIntervalMs: 5 });
      const b = open({ pollIntervalMs: 5 });
      const seenByA = collect(a, 6);
      const seenByB = collect(b, 6);
      await Promise.all([a.append([makeUpdate()]), b.append([makeUpdate(), makeUpdate()])]);
      await Promise.all([b.append([makeUpdate()]), a.append([makeUpdate()]), b.append([makeUpdate()])]);
      const [fromA, fromB] = await Promise.all([seenByA, seenByB]);
      assert.deepEqual(fromA, fromB);
      assert.deepEqual(fromA, await a.readAfter(0, 10));
    });
  });

  it('tells a watcher that fell behind retention which positions it missed (WatchGapError)', async () => {
    await withStores(async (open) => {
      const errors: Error[] = [];
      const watcher = open({ pollIntervalMs: 5 });
      const received = new Promise<StoredUpdate>((resolve) =>
        watcher.watch(resolve, { onError: (error) => errors.push(error) }),
      );
      const stored = await open({ maxCount: 1 }).append(Array.from({ length: 10 }, () => makeUpdate()));
      assert.equal((await received).position, stored[9]!.position);
      assert.equal(errors.length, 1);
      assert.ok(errors[0] instanceof WatchGapError);
      assert.deepEqual([errors[0].from, errors[0].to], [stored[0]!.position, stored[8]!.position]);
    });
  });

  it('trims expired updates on its timer even when nothing is appended', async () => {
    await withStores(async (open) => {
      let clock = 0;
      const trimmer = open({ maxAgeMs: 1000, trimIntervalMs: 5, now: () => clock });
      await trimmer.append([makeUpdate(), makeUpdate()]);
      const reader = open();
      assert.equal((await reader.readAfter(0, 10)).length, 2);
      clock = 5000;
      await waitFor(
        async () => ((await reader.readAfter(0, 10)).length === 0 ? true : undefined),
        'the trim',
      );
    });
  });

  it('trims a backlog larger than one chunk in several steps', async () => {
    await withStores(async (open) => {
      const store = open({ maxCount: 10 });
      await store.append(Array.from({ length: 2500 }, () => makeUpdate()));
      assert.equal((await store.readAfter(0, 10_000)).length, 10);
      const reader = open();
      await waitFor(
        async () => ((await reader.readAfter(0, 10_000)).length === 10 ? true : undefined),
        'the trim',
      );
    });
  });

  it('refuses a bad synchronous setting with a RangeError naming it', async () => {
    await withStores(async (open) => {
      assert.throws(() => open({ synchronous: 'OFF' as 'FULL' }), /synchronous must be 'FULL' or 'NORMAL'/);
    });
  });
});
