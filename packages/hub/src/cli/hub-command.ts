/**
 * `spout hub`: runs the hub until SIGTERM or SIGINT, then shuts down gracefully.
 */
import { availableParallelism } from 'node:os';
import pino, { type Logger } from 'pino';
import { hubHelp } from '../config/help.ts';
import { type HubConfig, loadConfig, unknownEnvironmentVariables } from '../config/load.ts';
import { applyMercureAliases } from '../config/mercure-aliases.ts';
import { ConfigError } from '../config/parse.ts';
import { warnOfOpenFileLimit } from '../hub/fd-monitor.ts';
import { listenForStop, type StopSignal } from '../hub/stop-signal.ts';
import { startHub } from '../run-hub.ts';
import { type PrimaryReady, runPrimary } from '../workers/primary.ts';
import { workerCount } from '../workers/worker-start.ts';
import { devBanner } from './dev-banner.ts';

/**
 * Runs the hub; resolves with the exit code once it has shut down. `stop` is the signal listener
 * the entry point installed before loading anything (one is made here when it did not).
 */
export async function hubCommand(argv: readonly string[], stop?: StopSignal): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${hubHelp()}\n`);
    return 0;
  }
  const stopping = stop ?? listenForStop();
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
  for (const { name, message } of applyMercureAliases(process.env).warnings)
    logger.warn({ variable: name }, message);
  const workers = workerCount(config, availableParallelism());
  warnOfOpenFileLimit(config, workers, logger);
  if (workers > 1)
    return runPrimary(config, logger, stopping, (ready) => announce(config, ready, workers, logger), workers);
  const started = await startHub(config, { logger });
  if (config.dev) process.stderr.write(`${await devBanner(started)}\n`);
  const signal = await stopping.received;
  started.running.hub.logger.info({ signal }, 'shutting down: closing subscribers and flushing the store');
  await started.close();
  started.running.hub.logger.info('stopped');
  return 0;
}

/** What a multi-process hub says once every worker listens. */
async function announce(
  config: HubConfig,
  ready: PrimaryReady,
  workers: number,
  logger: Logger,
): Promise<void> {
  logger.info({ url: ready.hubUrl, store: config.store, workers }, 'hub listening with every worker');
  if (config.dev)
    process.stderr.write(`${await devBanner({ devSecret: ready.devSecret, running: ready })}\n`);
}
