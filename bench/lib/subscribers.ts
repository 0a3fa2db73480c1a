/**
 * The body of a benchmark's subscriber child process: raw-socket SSE subscribers to one server
 * from one loopback source address. Counts events (each payload ends with `}` and a blank line)
 * and records publish-to-receive latency from the `"t":` send time in each payload. Answers, over
 * IPC: `reset` (zero the counts), `count` (events so far), `wait` (answers once every subscriber
 * has had `perSubscriber` events on average) and `latency` (the histogram).
 */
import net from 'node:net';
import { EventScanner } from './event-scanner.ts';
import { createHistogram } from './histogram.ts';

export type SubscriberCommand =
  | { cmd: 'reset' }
  | { cmd: 'count' }
  | { cmd: 'wait'; perSubscriber: number }
  | { cmd: 'latency' };

/** Connects one subscriber per path (250 at a time), says `{ ready }` to the parent, then answers commands. */
export async function runSubscribers(
  port: number,
  localAddress: string,
  paths: readonly string[],
): Promise<void> {
  let received = 0;
  let histogram = createHistogram();
  let waiting: { target: number; done: () => void } | null = null;

  const connect = (path: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress });
      const scanner = new EventScanner();
      socket.once('error', reject);
      socket.once('data', () => {
        socket.on('data', (chunk: Buffer) => {
          received += scanner.scan(chunk, histogram);
          if (waiting !== null && received >= waiting.target) {
            waiting.done();
            waiting = null;
          }
        });
        resolve();
      });
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    });

  for (let done = 0; done < paths.length; done += 250) {
    await Promise.all(paths.slice(done, done + 250).map(connect));
  }
  process.send?.({ ready: paths.length });
  process.on('message', (command: SubscriberCommand) => {
    if (command.cmd === 'reset') {
      received = 0;
      histogram = createHistogram();
      process.send?.({});
    } else if (command.cmd === 'count') process.send?.({ received });
    else if (command.cmd === 'wait') {
      const target = command.perSubscriber * paths.length;
      const done = () => process.send?.({ received });
      if (received >= target) done();
      else waiting = { target, done };
    } else process.send?.({ histogram });
  });
  process.on('disconnect', () => process.exit(0));
}
