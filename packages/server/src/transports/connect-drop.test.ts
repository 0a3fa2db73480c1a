import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Channel } from '../channel/channel.ts';
import { startHttpServer } from '../testing/sse-client.ts';
import { createSession } from './node.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const CLIENT = fileURLToPath(new URL('../testing/connect-many.ts', import.meta.url));

/** Connects `count` streams from a child process (its own file descriptors), then drops them. */
async function connectAndDrop(
  port: number,
  count: number,
  whileConnected: () => Promise<void>,
): Promise<void> {
  const child = spawn(process.execPath, [CLIENT, String(port), String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  assert.equal(line.toString().trim(), `ready ${count}`);
  await whileConnected();
  child.stdin.write('drop\n');
  await once(child, 'exit');
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** JS heap plus external (buffers) memory after garbage collection, and open handles. */
async function settle(): Promise<{ heap: number; handles: number }> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
  }
  const memory = process.memoryUsage();
  return { heap: memory.heapUsed + memory.external, handles: process.getActiveResourcesInfo().length };
}

test(
  '10,000 sessions connect and drop: registry, memory and handles return to baseline',
  { timeout: 120_000 },
  async (t) => {
    const channel = new Channel();
    const options = { heartbeatInterval: 1000 };
    const server = await startHttpServer((req, res) => {
      channel.join(createSession(req, res, options));
    });
    // Warm up lazily allocated structures so the baseline is steady.
    await connectAndDrop(server.port, 500, () => until(() => channel.size === 500));
    await until(() => channel.size === 0);
    const before = await settle();

    await connectAndDrop(server.port, 10_000, async () => {
      await until(() => channel.size === 10_000);
      const during = await settle();
      // Sanity check that the measure sees sessions at all: 10,000 live ones cost well over 10 MB.
      assert.ok(
        during.heap - before.heap > 10_000_000,
        `heap grew by ${during.heap - before.heap} bytes only`,
      );
      assert.ok(during.handles - before.handles >= 10_000);
      t.diagnostic(
        `connected: +${during.heap - before.heap} bytes, +${during.handles - before.handles} handles`,
      );
      await channel.broadcast('still here');
    });
    await until(() => channel.size === 0);
    const afterDrop = await settle();

    t.diagnostic(
      `after drop: ${afterDrop.heap - before.heap} bytes, ${afterDrop.handles - before.handles} handles`,
    );
    assert.equal(afterDrop.handles, before.handles, 'every socket handle was released');
    const grown = afterDrop.heap - before.heap;
    assert.ok(grown < 2_000_000, `heap grew by ${grown} bytes after all sessions left`);
    await server.close();
  },
);
