/**
 * The worker processes of a multi-process hub: forked with their start, counted ready, replaced when
 * they crash, stopped gracefully. A worker that exits with code 0 shut down on purpose (a signal sent to
 * the whole process group, as systemd and Ctrl-C do) and is not replaced.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { RpcHandlers, RpcPeer } from './rpc.ts';
import { fromWire, type WireError } from './wire-errors.ts';
import { WORKER_START_VARIABLE, type WorkerStart } from './worker-start.ts';

/** Where a worker listens, as it says once ready. */
interface WorkerReady {
  url: string;
  hubUrl: string;
}

/** How many crashes in {@link CRASH_WINDOW_MS} mean that replacing workers will not help. */
const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 60_000;
/** Beyond the shutdown timeout, how long a worker may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

/** A worker that exited before it listened: the hub cannot start. */
export class WorkerStartError extends Error {
  readonly exitCode: number;
  constructor(slot: number, code: number | null, signal: string | null) {
    super(`hub worker ${slot} exited (${signal ?? `code ${code}`}) before it listened; its error is above`);
    this.name = 'WorkerStartError';
    this.exitCode = code === null || code === 0 ? 1 : code;
  }
}

/** What the primary does for each worker. */
export interface WorkerPoolHooks {
  /** A worker's start, for its slot (1..N; a replacement takes the slot of the one it replaces). */
  startOf(slot: number): WorkerStart;
  /** Connects a new worker: returns its RPC peer, built with the pool's own handlers added. */
  connect(worker: Worker, handlers: RpcHandlers): RpcPeer;
  /** Hears of a worker's exit, whatever the cause. */
  onExit(worker: Worker): void;
}

/** The workers, each in a slot (1..N) that a replacement takes over. */
export class WorkerPool {
  readonly #count: number;
  readonly #logger: Logger;
  readonly #startOf: (slot: number) => WorkerStart;
  readonly #connect: (worker: Worker, handlers: RpcHandlers) => RpcPeer;
  readonly #onExit: (worker: Worker) => void;
  readonly #slots = new Map<Worker, number>();
  readonly #peers = new Map<Worker, RpcPeer>();
  readonly #ready = new Set<Worker>();
  readonly #crashes: number[] = [];
  /** Why a worker could not start, as it said before exiting. */
  readonly #failures = new Map<Worker, Error>();
  readonly #metrics = new AggregatorRegistry();
  #stopping = false;
  #starting: ((error: Error | undefined, ready?: WorkerReady) => void) | undefined;
  #fail: (() => void) | undefined;
  /** Resolves when workers crash too often to go on. */
  readonly failed = new Promise<'crash-loop'>((resolve) => {
    this.#fail = () => resolve('crash-loop');
  });

  constructor(count: number, logger: Logger, hooks: WorkerPoolHooks) {
    this.#count = count;
    this.#logger = logger;
    this.#startOf = hooks.startOf;
    this.#connect = hooks.connect;
    this.#onExit = hooks.onExit;
  }

  /** Workers listening now, and how many there should be: what /healthz reports. */
  health(): { ready: number; expected: number } {
    return { ready: this.#ready.size, expected: this.#count };
  }

  /** Forks every worker; resolves once all listen, rejects with a WorkerStartError if one cannot. */
  start(): Promise<WorkerReady> {
    cluster.on('exit', (worker, code, signal) => this.#exited(worker, code, signal));
    return new Promise<WorkerReady>((resolve, reject) => {
      let first: WorkerReady | undefined;
      this.#starting = (error, ready) => {
        if (error !== undefined) {
          // One worker cannot start: the others are stopped, and the hub fails with its reason.
          this.#starting = undefined;
          this.stop(0).then(() => reject(error), reject);
          return;
        }
        first ??= ready;
        if (this.#ready.size === this.#count) {
          this.#starting = undefined;
          resolve(first!);
        }
      };
      for (let slot = 1; slot <= this.#count; slot++) this.#fork(slot);
    });
  }

  #fork(slot: number): void {
    const worker = cluster.fork({ [WORKER_START_VARIABLE]: JSON.stringify(this.#startOf(slot)) });
    this.#slots.set(worker, slot);
    const peer = this.#connect(worker, {
      ready: (where: never) => {
        this.#ready.add(worker);
        this.#starting?.(undefined, where as WorkerReady);
      },
      metrics: async () => {
        const text = await this.#metrics.clusterMetrics();
        return { text, contentType: this.#metrics.contentType };
      },
      health: () => this.health(),
      failed: (wire: never) => this.#failures.set(worker, fromWire(wire as WireError)),
    });
    this.#peers.set(worker, peer);
  }

  #exited(worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.#slots.get(worker);
    if (slot === undefined) return;
    this.#slots.delete(worker);
    this.#ready.delete(worker);
    this.#peers.get(worker)?.close();
    this.#peers.delete(worker);
    this.#onExit(worker);
    if (this.#stopping) return;
    if (this.#starting !== undefined) {
      const failure = this.#failures.get(worker) ?? new WorkerStartError(slot, code, signal);
      this.#failures.delete(worker);
      this.#starting(failure);
      return;
    }
    if (code === 0 && signal === null) return;
    this.#logger.error({ worker: slot, code, signal }, 'a hub worker crashed; starting a replacement');
    const now = Date.now();
    this.#crashes.push(now);
    while (this.#crashes[0]! < now - CRASH_WINDOW_MS) this.#crashes.shift();
    if (this.#crashes.length > MAX_CRASHES) {
      this.#logger.fatal(
        { crashes: this.#crashes.length, windowMs: CRASH_WINDOW_MS },
        'hub workers keep crashing; stopping the hub',
      );
      this.#fail?.();
      return;
    }
    this.#fork(slot);
  }

  /** Asks every worker to shut down gracefully and waits for all to exit (killing any that hangs). */
  async stop(shutdownTimeoutMs: number): Promise<void> {
    this.#stopping = true;
    const exits = [...this.#slots.keys()].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          worker.once('exit', () => resolve());
          this.#peers.get(worker)?.note('shutdown');
          const kill = setTimeout(() => worker.process.kill('SIGKILL'), shutdownTimeoutMs + EXIT_GRACE_MS);
          worker.once('exit', () => clearTimeout(kill));
        }),
    );
    await Promise.all(exits);
  }
}
