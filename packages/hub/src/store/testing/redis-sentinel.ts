import type { ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitUntil } from './redis-fixture.ts';
import {
  freePort,
  killAndWait,
  spawnUntilReady,
  startRedisServer,
  type TestRedisServer,
} from './redis-server.ts';

/** The master name the test sentinels monitor. */
export const MASTER_NAME = 'spout';

/** A primary, its replica and the sentinels watching them, started for one test. */
export interface TestSentinelGroup {
  /** `redis+sentinel://` naming every sentinel and the master. */
  url: string;
  primary: TestRedisServer;
  replica: TestRedisServer;
  /** The port of the server every sentinel names as primary now; 0 while they disagree. */
  primaryPort(): Promise<number>;
  /** Sends SENTINEL FAILOVER to the first sentinel (a failover without agreement, the primary alive). */
  failover(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a primary, a replica of it and `sentinels` sentinels (quorum: a majority), with a 1 s
 * down-after period so that a failover takes seconds, and waits until the replica is in sync and
 * every sentinel knows the replica and the other sentinels (needed before a failover can happen).
 */
export async function startSentinelGroup(sentinels = 3): Promise<TestSentinelGroup> {
  const primary = await startRedisServer(['--repl-diskless-sync-delay', '0']);
  const replica = await startRedisServer([
    '--repl-diskless-sync-delay',
    '0',
    '--replicaof',
    '127.0.0.1',
    String(primary.port),
  ]);
  const processes: ChildProcess[] = [];
  const ports: number[] = [];
  const stop = async () => {
    for (const child of processes.splice(0)) await killAndWait(child, 'SIGTERM');
    await replica.stop();
    await primary.stop();
  };
  try {
    const quorum = Math.floor(sentinels / 2) + 1;
    for (let i = 0; i < sentinels; i++) {
      const port = await freePort();
      // Sentinel rewrites its configuration file: each gets its own, in the primary's directory.
      const file = join(primary.dir, `sentinel-${port}.conf`);
      await writeFile(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${primary.dir}`,
          `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${primary.port} ${quorum}`,
          `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
          `sentinel failover-timeout ${MASTER_NAME} 10000`,
          '',
        ].join('\n'),
      );
      processes.push(await spawnUntilReady('redis-sentinel', [file], '+monitor master'));
      ports.push(port);
    }
    await waitUntil(() => replicaOnline(primary));
    await waitUntil(() => sentinelsReady(ports, sentinels));
    return {
      url: `redis+sentinel://${ports.map((port) => `127.0.0.1:${port}`).join(',')}/${MASTER_NAME}`,
      primary,
      replica,
      // All of them: a sentinel that still names the old primary would send a client to it once restarted.
      primaryPort: async () => {
        const named = new Set(await Promise.all(ports.map(primaryPortFrom)));
        return named.size === 1 ? [...named][0]! : 0;
      },
      failover: () => sentinelCall(ports[0]!, 'FAILOVER', MASTER_NAME).then(() => {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function replicaOnline(primary: TestRedisServer): Promise<boolean> {
  const admin = new Redis(primary.url);
  try {
    return /slave0:.*state=online/.test(await admin.info('replication'));
  } finally {
    admin.disconnect();
  }
}

/** Every sentinel sees one replica and the other sentinels. */
async function sentinelsReady(ports: number[], sentinels: number): Promise<boolean> {
  for (const port of ports) {
    const admin = new Redis({ port, host: '127.0.0.1' });
    try {
      const master = (await admin.call('SENTINEL', 'MASTER', MASTER_NAME)) as string[];
      const field = (name: string) => Number(master[master.indexOf(name) + 1]);
      if (field('num-slaves') < 1 || field('num-other-sentinels') < sentinels - 1) return false;
    } finally {
      admin.disconnect();
    }
  }
  return true;
}

async function primaryPortFrom(sentinelPort: number): Promise<number> {
  const [, port] = (await sentinelCall(sentinelPort, 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as string[];
  return Number(port);
}

async function sentinelCall(sentinelPort: number, ...args: string[]): Promise<unknown> {
  const admin = new Redis({ port: sentinelPort, host: '127.0.0.1' });
  try {
    return await admin.call('SENTINEL', ...args);
  } finally {
    admin.disconnect();
  }
}

/** SENTINEL FAILOVER through the group's first sentinel. */
export const sentinelFailover = (group: TestSentinelGroup): Promise<void> => group.failover();

/**
 * Starts the killed old primary again as a replica of the new one, as an operator brings a failed
 * primary back. Started bare, it would be an empty primary until the sentinels demote it, and a
 * client reconnecting in that window stays on it once it is a replica.
 */
export const restartAsReplica = (group: TestSentinelGroup): Promise<void> =>
  group.primary.restart(['--replicaof', '127.0.0.1', String(group.replica.port)]);
