import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, type TestRedisServer } from './redis-server.ts';

const run = promisify(execFile);

/** A Redis Cluster started for one test file: masters only, on loopback. */
export interface TestRedisCluster {
  /** `redis+cluster://` with every node as a seed. */
  url: string;
  servers: TestRedisServer[];
  stop(): Promise<void>;
}

/**
 * Starts `masters` cluster-enabled redis-servers (each with its bus on a free port of its own:
 * the default, port + 10000, may be taken or out of range) and joins them with
 * `redis-cli --cluster create`, then waits until every node reports the cluster ok.
 */
export async function startRedisCluster(masters = 3): Promise<TestRedisCluster> {
  const servers: TestRedisServer[] = [];
  const stop = async () => {
    for (const server of servers.splice(0)) await server.stop();
  };
  try {
    for (let i = 0; i < masters; i++) {
      const busPort = await freePort();
      servers.push(
        await startRedisServer([
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-port',
          String(busPort),
          '--cluster-node-timeout',
          '2000',
        ]),
      );
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(servers);
    return { url: `redis+cluster://${addresses.join(',')}`, servers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForClusterOk(servers: TestRedisServer[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (const server of servers) {
    const admin = new Redis(server.url);
    try {
      while (!/cluster_state:ok/.test(String(await admin.call('CLUSTER', 'INFO')))) {
        if (Date.now() > deadline) throw new Error(`the cluster is not ok on port ${server.port}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      admin.disconnect();
    }
  }
}
