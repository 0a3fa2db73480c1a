/**
 * The settings of shutdown and logging.
 */
import { CORE_DEFAULTS } from '../../core/limits.ts';
import type { Setting } from './setting.ts';

export const LIFECYCLE_SETTINGS = [
  {
    name: 'shutdownRetry',
    type: 'duration',
    group: 'Shutdown',
    default: CORE_DEFAULTS.shutdownRetryMs,
    min: 0,
    description:
      'Reconnection delay suggested to subscribers at shutdown (each gets a random value up to twice it).',
  },
  {
    name: 'shutdownTimeout',
    type: 'duration',
    group: 'Shutdown',
    default: 5000,
    min: 0,
    description: 'How long shutdown waits for connections to finish.',
  },
  {
    name: 'logLevel',
    type: 'choice',
    group: 'Logging',
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    description: 'Log level (JSON lines on stdout, pino).',
  },
] as const satisfies readonly Setting[];
