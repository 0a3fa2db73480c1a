/**
 * The body of a benchmark's subscriber child process: raw-socket SSE subscribers to one server
 * from one loopback source address. Counts events (each payload ends with `}` and a blank line),
 * in all and per subscriber, and records publish-to-receive latency from the `"t":` send time in
 * each payload. Answers, over IPC: `reset` (zero the counts), `count` (events so far), `wait`
 * (answers once every subscriber has had `perSubscriber` events on average), `check` (how many
 * subscribers got other than `perSubscriber` events, and by how much) and `latency` (the histogram).
 */
import net from 'node:net';
import { EventScanner } from './event-scanner.ts';
import { createHistogram } from './histogram.ts';

export type SubscriberCommand =
  | { cmd: 'reset' }
  | { cmd: 'count' }
  | { cmd: 'wait'; perSubscriber: number }
  | { cmd: 'check'; perSubscriber: number }
  | { cmd: 'latency' };

/** The first message of a subscriber process: how many subscribers the server took (status 200). */
export interface SubscribersReady {
  ready: number;
  /** Subscribers the server refused (another status), or whose connection failed or timed out. */
  failed: number;
}

/** The answer to `check`: deliveries missing and extra, summed over the subscribers. */
export interface SubscriberCheck {
  /** Subscribers with fewer events than expected (a closed connection counts as short). */
  short: number;
  missing: number;
  extra: number;
  /** Subscribers whose connection the server closed since they connected. */
  closed: number;
  /** Socket reads that carried data since the last reset: fewer than events when the server writes several at once. */
  reads: number;
}

/** How long one subscriber waits for the server's answer before counting as failed. */
const CONNECT_TIMEOUT_MS = 30_000;
const OK_STATUS = /^HTTP\/1\.1 200 /;
/** Every socket of the process reads into this buffer; each read is scanned before the next. */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Connects one subscriber per path (250 at a time), says `SubscribersReady` to the parent, then answers commands. */
export async function runSubscribers(
  port: number,
  localAddress: string,
  paths: readonly string[],
): Promise<void> {
  let received = 0;
  let closed = 0;
  let reads = 0;
  const perSocket = new Uint32Array(paths.length);
  /** 1 for the subscribers the server took: only they are expected to receive anything. */
  const accepted = new Uint8Array(paths.length);
  let histogram = createHistogram();
  let waiting: { target: number; done: () => void } | null = null;

  /** Resolves true once the server answered 200 (with its first bytes), false if it did not. */
  const connect = (path: string, index: number): Promise<boolean> =>
    new Promise((resolve) => {
      const scanner = new EventScanner();
      let answered = false;
      // [why] Reads land in one buffer of this process, read at once (no Buffer and no 'data' event
      // per read): the load generator must cost less than the servers it loads on this 2-core machine.
      const onRead = (size: number): boolean => {
        const buffer = READ_BUFFER;
        if (!answered) {
          answered = true;
          if (!OK_STATUS.test(buffer.toString('latin1', 0, Math.min(size, 16)))) {
            socket.destroy();
            return false;
          }
          socket.setTimeout(0);
          accepted[index] = 1;
          socket.once('close', () => closed++);
          resolve(true);
          return true;
        }
        reads++;
        const ended = scanner.scan(buffer.subarray(0, size), histogram);
        perSocket[index] = (perSocket[index] ?? 0) + ended;
        received += ended;
        if (waiting !== null && received >= waiting.target) {
          waiting.done();
          waiting = null;
        }
        return true;
      };
      const socket = net.connect({
        port,
        host: '127.0.0.1',
        localAddress,
        onread: { buffer: READ_BUFFER, callback: onRead },
      });
      socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy());
      // A failure after the answer shows in `closed`; before it, the subscriber counts as failed.
      socket.once('close', () => resolve(false));
      socket.on('error', () => {});
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    });

  let ready = 0;
  for (let done = 0; done < paths.length; done += 250) {
    const batch = paths.slice(done, done + 250).map((path, k) => connect(path, done + k));
    ready += (await Promise.all(batch)).filter(Boolean).length;
  }
  process.send?.({ ready, failed: paths.length - ready } satisfies SubscribersReady);
  const check = (expected: number): SubscriberCheck => {
    const result = { short: 0, missing: 0, extra: 0, closed, reads };
    for (const [index, got] of perSocket.entries()) {
      if (accepted[index] === 0) continue;
      if (got < expected) {
        result.short++;
        result.missing += expected - got;
      } else result.extra += got - expected;
    }
    return result;
  };
  process.on('message', (command: SubscriberCommand) => {
    if (command.cmd === 'reset') {
      received = 0;
      reads = 0;
      perSocket.fill(0);
      histogram = createHistogram();
      process.send?.({});
    } else if (command.cmd === 'count') process.send?.({ received });
    else if (command.cmd === 'wait') {
      const target = command.perSubscriber * ready;
      const done = () => process.send?.({ received });
      if (received >= target) done();
      else waiting = { target, done };
    } else if (command.cmd === 'check') process.send?.(check(command.perSubscriber));
    else process.send?.({ histogram });
  });
  process.on('disconnect', () => process.exit(0));
}
