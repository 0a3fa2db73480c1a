/**
 * Child process: `count` raw-socket subscribers of the hub's one topic or nchan's channel, from one
 * loopback source address (see bench/lib/subscribers.ts).
 * Usage: node subscribers.ts <hub|nchan> <port> <count> <localAddress>
 */
import { runSubscribers } from '../lib/subscribers.ts';
import { type ServerKind, subscribePath } from './server.ts';

const [kind, port, count, localAddress] = process.argv.slice(2);
const path = subscribePath(kind as ServerKind);
await runSubscribers(
  Number(port),
  localAddress!,
  Array.from({ length: Number(count) }, () => path),
);
