/**
 * `spout hub`: runs the hub until SIGTERM or SIGINT, then shuts down gracefully.
 */
import pino from 'pino';
import { hubHelp } from '../config/help.ts';
import { type HubConfig, loadConfig, unknownEnvironmentVariables } from '../config/load.ts';
import { ConfigError } from '../config/parse.ts';
import { devBanner, startHub } from '../run-hub.ts';

/** Runs the hub; resolves with the exit code once it has shut down. */
export async function hubCommand(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${hubHelp()}\n`);
    return 0;
  }
  const unknown = unknownEnvironmentVariables(process.env);
  let config: HubConfig;
  try {
    config = loadConfig(argv);
  } catch (error) {
    // A mistyped variable may be the very cause (SPOUT_JWT_KYE leaves jwtKey unset): say so on the same line.
    if (!(error instanceof ConfigError) || unknown.length === 0) throw error;
    throw new ConfigError(`${error.message} (also: ${unknown.map((u) => u.message).join('; ')})`);
  }
  const logger = pino({ level: config.logLevel });
  for (const { name, message } of unknown) logger.warn({ variable: name }, message);
  const started = await startHub(config, logger);
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
