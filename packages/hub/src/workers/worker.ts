/**
 * One worker of a multi-process hub: a whole hub (HTTP, core, fan-out) on the shared port, whose
 * store (memory, sqlite) and subscriber directory are the primary's, reached over IPC. On Redis the
 * worker reads and writes Redis itself, as any node does.
 */

import pino from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { HubConfig } from '../config/load.ts';
import type { StopSignal } from '../hub/stop-signal.ts';
import { startHub } from '../run-hub.ts';
import { IpcDirectory } from './ipc-directory.ts';
import { IpcStore } from './ipc-store.ts';
import { type IpcEnd, type RpcHandlers, RpcPeer } from './rpc.ts';
import { WORKER_START_VARIABLE, type WorkerStart } from './worker-start.ts';

/** Runs the worker until a stop signal, the primary's word, or the primary's death; resolves with the exit code. */
export async function runWorker(stop: StopSignal): Promise<number> {
  const start = JSON.parse(process.env[WORKER_START_VARIABLE] ?? 'null') as WorkerStart | null;
  if (start === null || process.send === undefined) {
    throw new Error(
      `a hub worker is started by the primary of \`spout hub --workers N\` (${WORKER_START_VARIABLE} is not set)`,
    );
  }
  const config: HubConfig = start.config;
  const logger = pino({ level: config.logLevel }).child({ worker: start.worker });
  const handlers: RpcHandlers = {};
  const peer = new RpcPeer(process as IpcEnd, handlers);
  const store =
    config.store === 'redis'
      ? undefined
      : new IpcStore(peer, (error) => logger.error({ err: error }, 'store error'));
  if (store !== undefined) Object.assign(handlers, store.notes());
  const primaryGone = new Promise<string>((resolve) => {
    handlers['shutdown'] = () => resolve('the primary asked');
    // [fault] the primary died: its workers stop rather than serve as orphans
    process.once('disconnect', () => resolve('the primary is gone'));
  });
  const started = await startHub(config, {
    logger,
    store,
    directory: new IpcDirectory(peer),
    devSecret: start.devSecret,
    metricsText: () => peer.call('metrics'),
    workerHealth: () => peer.call('health'),
  });
  // The primary's /metrics asks every worker for its registry (prom-client's cluster aggregation).
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([started.running.hub.metrics.registry]);
  peer.note('ready', { url: started.running.url, hubUrl: started.running.hubUrl });
  const why = await Promise.race([stop.received, primaryGone]);
  logger.info({ why }, 'worker shutting down: closing subscribers and flushing');
  await started.close();
  peer.close();
  if (process.connected) process.disconnect();
  return 0;
}
