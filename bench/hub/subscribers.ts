/**
 * Child process: raw-socket subscribers. Counts events (each payload ends with `}` and a
 * blank line) and records publish-to-receive latency from the `"t":` send time in each
 * payload. Usage: node subscribers.ts <port> <localAddress> <hub|channel> <from> <count>
 */
import net from 'node:net';
import { EventScanner } from '../lib/event-scanner.ts';
import { createHistogram } from '../lib/histogram.ts';
import { subscriberPaths } from './workload.ts';

const [port, localAddress, kind, from, count] = process.argv.slice(2);
const paths = subscriberPaths(kind ?? 'hub', Number(from), Number(count));
let received = 0;
let histogram = createHistogram();

function onData(this: EventScanner, chunk: Buffer): void {
  received += this.scan(chunk, histogram);
}

function connect(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: '127.0.0.1', localAddress });
    const scanner = new EventScanner();
    socket.once('error', reject);
    socket.once('data', () => {
      socket.on('data', onData.bind(scanner));
      resolve();
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
  });
}

for (let done = 0; done < paths.length; done += 250) {
  await Promise.all(paths.slice(done, done + 250).map(connect));
}
process.send?.({ ready: paths.length });
process.on('message', (command: { cmd: 'reset' | 'count' | 'latency' }) => {
  if (command.cmd === 'reset') {
    received = 0;
    histogram = createHistogram();
    process.send?.({});
  } else if (command.cmd === 'count') process.send?.({ received });
  else process.send?.({ histogram });
});
process.on('disconnect', () => process.exit(0));
