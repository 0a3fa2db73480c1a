/**
 * What the primary of `spout hub --workers N` starts in each worker process. Like the `spout` entry,
 * it listens for stop signals before anything else loads.
 */
import { listenForStop } from '../cli/stop-signal.ts';

const stop = listenForStop();
const { runWorker } = await import('./worker.ts');
process.exitCode = await runWorker(stop);
