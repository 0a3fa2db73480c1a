/**
 * The primary of `spout hub --workers N`: it serves no HTTP itself. It forks the workers (which share
 * the port through node:cluster), owns the store when one process must write it (memory, sqlite) and
 * the hub-wide subscriber directory, aggregates metrics, replaces a worker that crashes, and shuts
 * every worker down gracefully on SIGTERM.
 */

import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { HubConfig } from '../config/load.ts';
import { subscriptionEvents } from '../core/subscription-events.ts';
import type { StopSignal } from '../hub/stop-signal.ts';
import { openStore } from '../open-store.ts';
import { appendInChunks } from '../presence/events.ts';
import { generatedDevSecret } from '../run-hub.ts';
import type { UpdateStore } from '../store/types.ts';
import { PrimaryDirectory } from './ipc-directory.ts';
import { RpcPeer } from './rpc.ts';
import { StoreServer } from './store-server.ts';
import { WorkerPool } from './worker-pool.ts';
import type { WorkerStart } from './worker-start.ts';

/** Where the hub listens, once every worker does. */
export interface PrimaryReady {
  url: string;
  hubUrl: string;
  devSecret: string | undefined;
}

const WORKER_ENTRY = fileURLToPath(
  new URL(`./worker-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
);

/**
 * Runs the primary until a stop signal; `onReady` hears once every worker listens.
 * Resolves with the exit code once every worker has exited and the store is flushed.
 */
export async function runPrimary(
  config: HubConfig,
  logger: Logger,
  stop: StopSignal,
  onReady: (ready: PrimaryReady) => void | Promise<void>,
  workers: number,
): Promise<number> {
  const store: UpdateStore | undefined =
    config.store === 'redis' ? undefined : await openStore(config, logger);
  const storeServer = store === undefined ? undefined : new StoreServer(store);
  const directory = new PrimaryDirectory(config);
  const devSecret = generatedDevSecret(config);
  cluster.setupPrimary({ exec: WORKER_ENTRY, serialization: 'advanced' });
  const pool = new WorkerPool(workers, logger, {
    startOf: (slot): WorkerStart => ({ config, devSecret, worker: slot }),
    connect: (worker, peerHandlers) => {
      const peer = new RpcPeer(worker, {
        ...(storeServer?.handlersFor(worker.id) ?? {}),
        ...directory.handlersFor(worker.id),
        ...peerHandlers,
      });
      storeServer?.attach(worker.id, peer);
      return peer;
    },
    onExit: (worker) => {
      storeServer?.detach(worker.id);
      const gone = directory.dropWorker(worker.id);
      // [spec] an update MUST be published when a subscription ends: the worker that held it cannot.
      // In chunks, as presence does for a dead node: thousands at once would overflow the store's queue.
      if (config.subscriptions && store !== undefined && gone.length > 0) {
        appendInChunks(store, subscriptionEvents(gone, false)).catch((error: unknown) => {
          logger.warn({ err: error }, 'subscription events of a crashed worker not stored');
        });
      }
    },
  });
  let ready: Awaited<ReturnType<WorkerPool['start']>>;
  try {
    ready = await pool.start();
  } catch (error) {
    storeServer?.stop();
    await store?.close();
    throw error;
  }
  await onReady({ ...ready, devSecret });
  const outcome = await Promise.race([stop.received.then(() => 'signal' as const), pool.failed]);
  logger.info('shutting down: every worker closes its subscribers and finishes its publishes');
  await pool.stop(config.shutdownTimeout);
  storeServer?.stop();
  await store?.close();
  logger.info('stopped');
  return outcome === 'signal' ? 0 : 1;
}
