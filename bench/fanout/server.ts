/**
 * Child process: one broadcaster on a loopback port, driven by the parent over
 * IPC. Usage: node --expose-gc server.ts <broadcaster>
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BROADCASTERS, type BroadcasterName } from './servers.ts';

export type ServerCommand =
  | { cmd: 'memory' }
  | { cmd: 'burst'; events: number; perTick: number; size: number }
  | { cmd: 'steady'; events: number; intervalMs: number; size: number };

const name = process.argv[2] as BroadcasterName;
const broadcaster = BROADCASTERS[name]();
const gc = (globalThis as { gc?: (options: object) => void }).gc;

/** `{"t":<send time ms>,"s":<seq>,"p":"xxx"}`, padded so that the event is about `size` bytes. */
function payload(seq: number, size: number): string {
  const head = `{"t":${(performance.timeOrigin + performance.now()).toFixed(3)},"s":${seq},"p":"`;
  return `${head}${'x'.repeat(Math.max(0, size - head.length - 10))}"}`;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function run(command: ServerCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'memory': {
      for (let i = 0; i < 3; i++) {
        // A full, compacting collection: what is left is what the connections hold, not heap slack.
        gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { rss: process.memoryUsage().rss, subscribers: broadcaster.subscribers() };
    }
    case 'burst': {
      for (let seq = 0; seq < command.events; seq++) {
        broadcaster.broadcast(payload(seq, command.size));
        if ((seq + 1) % command.perTick === 0) await tick();
      }
      return {};
    }
    case 'steady': {
      for (let seq = 0; seq < command.events; seq++) {
        broadcaster.broadcast(payload(seq, command.size));
        await new Promise((resolve) => setTimeout(resolve, command.intervalMs));
      }
      return {};
    }
  }
}

broadcaster.server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (broadcaster.server.address() as AddressInfo).port });
});
process.on('message', (command: ServerCommand) => {
  void run(command).then((result) => process.send?.(result));
});
process.on('disconnect', () => process.exit(0));
