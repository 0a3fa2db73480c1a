/**
 * What the primary hands each worker at start, in one environment variable.
 */
import type { HubConfig } from '../config/load.ts';

/** The variable holding a worker's {@link WorkerStart} as JSON. */
export const WORKER_START_VARIABLE = 'SPOUT_WORKER_START';

/** A worker's start: the hub's settings, the shared development secret, the worker's number. */
export interface WorkerStart {
  config: HubConfig;
  /** The development JWT key the primary generated, so every worker signs and verifies alike. */
  devSecret: string | undefined;
  worker: number;
}

/** How many workers a hub runs: `workers` when set, else one per core, and one in development mode. */
export function workerCount(config: Pick<HubConfig, 'workers' | 'dev'>, cores: number): number {
  return config.workers ?? (config.dev ? 1 : cores);
}
