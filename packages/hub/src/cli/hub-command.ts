/**
 * `spout hub`: runs the hub until SIGTERM or SIGINT, then shuts down gracefully.
 */
import { hubHelp } from '../config/help.ts';
import { loadConfig } from '../config/load.ts';
import { devBanner, startHub } from '../run-hub.ts';

/** Runs the hub; resolves with the exit code once it has shut down. */
export async function hubCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${hubHelp()}\n`);
    return 0;
  }
  const config = loadConfig(argv);
  const started = await startHub(config);
  if (config.dev) process.stderr.write(`${await devBanner(started)}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  // A second signal while shutting down means "now".
  const force = (): never => process.exit(1);
  process.once('SIGTERM', force);
  process.once('SIGINT', force);
  started.running.hub.logger.info({ signal }, 'shutting down: closing subscribers and flushing the store');
  await started.close();
  started.running.hub.logger.info('stopped');
  return 0;
}
