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
