/**
 * Child process: `count` raw-socket subscribers to the server's `/events`, from one loopback
 * source address (see bench/lib/subscribers.ts). Usage: node subscribers.ts <port> <count> <localAddress>
 */
import { runSubscribers } from '../lib/subscribers.ts';

const [port, count, localAddress] = process.argv.slice(2);
await runSubscribers(
  Number(port),
  localAddress!,
  Array.from({ length: Number(count) }, () => '/events'),
);
