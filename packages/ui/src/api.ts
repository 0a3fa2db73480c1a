/**
 * What the UI's endpoints answer, shared by the server that writes it and the
 * pages that read it (so neither can drift from the other).
 */

/** What the hub tells the UI about itself (GET /ui/api/info). */
export interface HubInfo {
  name: string;
  version?: string;
  startedAt?: number;
  /** e.g. `sqlite (.spout-data/hub.db)`, `memory`, `redis`. */
  store?: string;
  anonymous?: boolean;
  /** Demos currently publishing. */
  demos: string[];
  /** Whether /ui/api/stats has a data source. */
  stats: boolean;
  /** A development token (publish and subscribe `*`), present only when the hub runs with a development key. */
  devToken?: string;
  /** Anything else the hub wants shown, label to value. */
  details?: Record<string, string>;
}

/** One second of hub activity, as /ui/api/stats streams it. */
export interface StatsSample {
  /** Milliseconds since the epoch. */
  at: number;
  subscribers: number;
  publishesPerSecond: number;
  deliveriesPerSecond: number;
  /** Updates kept in the store, when the hub reports it. */
  storeUpdates?: number;
  /** Payload bytes of the kept updates (UTF-8 bytes of their data), when the hub reports it. */
  storeBytes?: number;
  /** Position of the newest stored update (every update ever stored counts one). */
  storePosition?: number;
}
