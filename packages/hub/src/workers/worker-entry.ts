/**
 * What the primary of `spout hub --workers N` starts in each worker process. Like the `spout` entry,
 * it listens for stop signals before anything else loads. A worker that cannot start tells the
 * primary why, which reports it once for all workers, as a single-process hub would.
 */
import { listenForStop } from '../hub/stop-signal.ts';

const stop = listenForStop();
try {
  const { runWorker } = await import('./worker.ts');
  process.exitCode = await runWorker(stop);
} catch (error) {
  const { toWire } = await import('./wire-errors.ts');
  process.exitCode = 1;
  if (process.send === undefined) throw error;
  await new Promise<void>((resolve) => {
    process.send!({ spout: 'note', method: 'failed', args: [toWire(error)] }, () => resolve());
  });
  process.disconnect();
}
