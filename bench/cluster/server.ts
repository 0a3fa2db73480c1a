/** A server under test in the cluster benchmark: the Spout hub or nchan, with its processes. */

/** The one topic every hub subscriber follows and every update goes to. */
export const TOPIC = 'https://bench.example/cluster';

export type ServerKind = 'hub' | 'nchan';

export interface Server {
  kind: ServerKind;
  /** Worker processes (the hub's cluster workers, nginx's worker_processes). */
  workers: number;
  port: number;
  /** Every process of the server: the primary (or nginx master) and each worker. */
  pids(): number[];
  stop(): Promise<void>;
}

/** The path a subscriber of this server asks for: the one topic (hub) or channel (nchan). */
export function subscribePath(kind: ServerKind): string {
  return kind === 'hub'
    ? `/.well-known/mercure?topic=${encodeURIComponent(TOPIC)}`
    : '/sub';
}
