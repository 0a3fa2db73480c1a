/**
 * Child process: raw-socket subscribers. Counts events (each payload ends with `}` and a
 * blank line) and records publish-to-receive latency from the `"t":` send time in each
 * payload. Usage: node subscribers.ts <port> <localAddress> <hub|channel> <from> <count>
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { createHistogram, record } from '../fanout/histogram.ts';
import { subscriberPaths } from './workload.ts';

const [port, localAddress, kind, from, count] = process.argv.slice(2);
const paths = subscriberPaths(kind ?? 'hub', Number(from), Number(count));
const END = Buffer.from('}\n\n');
const TIME = Buffer.from('{"t":');
let received = 0;
let histogram = createHistogram();

function onData(this: { tail: Buffer }, chunk: Buffer): void {
  const now = performance.timeOrigin + performance.now();
  const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
  let at = data.indexOf(END);
  let last = -1;
  while (at >= 0) {
    received++;
    const start = data.lastIndexOf(TIME, at);
    if (start >= 0)
      record(histogram, now - Number(data.toString('latin1', start + TIME.length, data.indexOf(44, start))));
    last = at;
    at = data.indexOf(END, at + END.length);
  }
  const from = last >= 0 ? last + END.length : 0;
  this.tail =
    data.length - from > 4096
      ? Buffer.from(data.subarray(data.length - 4096))
      : Buffer.from(data.subarray(from));
}

function connect(path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host: '127.0.0.1', localAddress });
    const state = { tail: Buffer.alloc(0) };
    socket.once('error', reject);
    socket.once('data', () => {
      socket.on('data', onData.bind(state));
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
