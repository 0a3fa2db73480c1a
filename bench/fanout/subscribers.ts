/**
 * Child process: `count` raw-socket subscribers to one server, from one
 * loopback source address. Counts events (each payload ends with `}` and a
 * blank line) and records publish-to-receive latency from the `"t":` send
 * time in each payload. Usage: node subscribers.ts <port> <count> <localAddress>
 */
import net from 'node:net';
import { EventScanner } from '../lib/event-scanner.ts';
import { createHistogram } from '../lib/histogram.ts';

export type SubscriberCommand =
  | { cmd: 'reset' }
  | { cmd: 'wait'; perSubscriber: number }
  | { cmd: 'latency' };

const [port, countArg, localAddress] = process.argv.slice(2);
const total = Number(countArg);
let received = 0;
let histogram = createHistogram();
let waiting: { target: number; done: () => void } | null = null;

/** Per socket: counts events as their bytes arrive. */
class Subscriber {
  readonly #scanner = new EventScanner();
  onData(chunk: Buffer): void {
    received += this.#scanner.scan(chunk, histogram);
    if (waiting !== null && received >= waiting.target) {
      waiting.done();
      waiting = null;
    }
  }
}

function connect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: '127.0.0.1', localAddress });
    const subscriber = new Subscriber();
    socket.once('error', reject);
    socket.once('data', () => {
      socket.on('data', (chunk: Buffer) => subscriber.onData(chunk));
      resolve();
    });
    socket.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
  });
}

for (let done = 0; done < total; done += 250) {
  await Promise.all(Array.from({ length: Math.min(250, total - done) }, connect));
}
process.send?.({ ready: total });

process.on('message', (command: SubscriberCommand) => {
  if (command.cmd === 'reset') {
    received = 0;
    histogram = createHistogram();
    process.send?.({});
  } else if (command.cmd === 'wait') {
    const target = command.perSubscriber * total;
    const done = () => process.send?.({ received });
    if (received >= target) done();
    else waiting = { target, done };
  } else process.send?.({ histogram });
});
process.on('disconnect', () => process.exit(0));
