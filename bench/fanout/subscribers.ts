/**
 * Child process: `count` raw-socket subscribers to one server, from one
 * loopback source address. Counts events (each payload ends with `}` and a
 * blank line) and records publish-to-receive latency from the `"t":` send
 * time in each payload. Usage: node subscribers.ts <port> <count> <localAddress>
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createHistogram, record } from './histogram.ts';

export type SubscriberCommand =
  | { cmd: 'reset' }
  | { cmd: 'wait'; perSubscriber: number }
  | { cmd: 'latency' };

const [port, countArg, localAddress] = process.argv.slice(2);
const total = Number(countArg);
const END = Buffer.from('}\n\n');
const TIME = Buffer.from('{"t":');
let received = 0;
let histogram = createHistogram();
let waiting: { target: number; done: () => void } | null = null;

/** Per socket: the last bytes of the previous chunk, to find markers split across chunks. */
class Subscriber {
  tail = Buffer.alloc(0);
  onData(chunk: Buffer): void {
    const now = performance.timeOrigin + performance.now();
    const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    let at = data.indexOf(END);
    let last = -1;
    while (at >= 0) {
      received++;
      const start = data.lastIndexOf(TIME, at);
      if (start >= 0)
        record(
          histogram,
          now - Number(data.toString('latin1', start + TIME.length, data.indexOf(44, start))),
        );
      last = at;
      at = data.indexOf(END, at + END.length);
    }
    // Keep enough of an unfinished event to find its send time and end marker later.
    const from = last >= 0 ? last + END.length : 0;
    this.tail =
      data.length - from > 4096
        ? Buffer.from(data.subarray(data.length - 4096))
        : Buffer.from(data.subarray(from));
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
