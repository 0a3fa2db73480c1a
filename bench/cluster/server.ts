/** A server under test in the cluster benchmark: the Spout hub or nchan, with its processes. */
import type { ChildProcess } from 'node:child_process';

/** The one topic every hub subscriber follows and every update goes to. */
export const TOPIC = 'https://bench.example/cluster';

/**
 * Where the benchmark's own requests (publishes, start-up probes) come from: the subscribers' sockets,
 * bound to their addresses, hold a bind entry on every ephemeral port once there are more of them than
 * ports, and Linux gives an unbound connect() none of those ports (it fails with EADDRNOTAVAIL).
 */
export const PUBLISHER_ADDRESS = '127.0.0.254';

export type ServerKind = 'hub' | 'nchan';

export interface Server {
  kind: ServerKind;
  /** Worker processes (the hub's cluster workers, nginx's worker_processes). */
  workers: number;
  port: number;
  /** Every process of the server: the primary (or nginx master) and each worker. */
  pids(): number[];
  /** Asks every process for a full garbage collection, where the server has a way to (the hub does). */
  collectGarbage(): void;
  stop(): Promise<void>;
}

/** The path a subscriber of this server asks for: the one topic (hub) or channel (nchan). */
export function subscribePath(kind: ServerKind): string {
  return kind === 'hub' ? `/.well-known/mercure?topic=${encodeURIComponent(TOPIC)}` : '/sub';
}

/** Servers still running: stopped when the benchmark exits, whether it finished or failed. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** Stops `child` (a server's primary or master, which stops its workers) if the benchmark exits first. */
export function stopOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}
