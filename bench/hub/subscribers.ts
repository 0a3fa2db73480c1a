/**
 * Child process: raw-socket subscribers to the hub or the channel, with the paths of their
 * workload (see bench/lib/subscribers.ts).
 * Usage: node subscribers.ts <port> <localAddress> <hub|hub-uniform|channel> <from> <count>
 */
import { runSubscribers } from '../lib/subscribers.ts';
import { subscriberPaths } from './workload.ts';

const [port, localAddress, workload, from, count] = process.argv.slice(2);
await runSubscribers(
  Number(port),
  localAddress!,
  subscriberPaths(workload ?? 'hub', Number(from), Number(count)),
);
