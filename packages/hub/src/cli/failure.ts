/**
 * How the `spout` command reports a failure: one line a person can act on, and an exit code
 * that tells configuration mistakes from runtime failures. The stack trace only with SPOUT_DEBUG=1.
 */
import { ConfigError } from '../config/parse.ts';

/** Exit codes of `spout`: documented in `spout --help`, `spout hub --help` and docs/hub.md. */
export const EXIT = {
  ok: 0,
  /** Something failed while running: the port is taken, a file cannot be read, the store is unreachable. */
  runtime: 1,
  /** The command line, the environment or the config file is wrong: fix the setting the message names. */
  configuration: 2,
} as const;

/** What to print (without the `spout: ` prefix) and which code to exit with. */
export interface Failure {
  message: string;
  exitCode: number;
}

interface SystemError extends Error {
  code?: string;
  syscall?: string;
  path?: string;
  address?: string;
  port?: number;
}

/** The one-line message and exit code for anything `spout` may throw. */
export function describeFailure(error: unknown): Failure {
  if (!(error instanceof Error)) return { message: String(error), exitCode: EXIT.runtime };
  if (error instanceof ConfigError || error.name === 'KeyConfigError') {
    return { message: error.message, exitCode: EXIT.configuration };
  }
  const system = error as SystemError;
  if (system.syscall === 'listen' || system.syscall === 'bind') return listenFailure(system);
  if (typeof system.path === 'string' && system.code !== undefined) return fileFailure(system);
  return { message: firstLine(error.message), exitCode: EXIT.runtime };
}

function listenFailure(error: SystemError): Failure {
  const where = error.port === undefined ? (error.address ?? 'the address') : `port ${error.port}`;
  const on = error.address === undefined ? '' : ` on ${error.address}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return {
        message: `${where}${on} is in use: choose another with --port (SPOUT_PORT), or stop what listens there`,
        exitCode: EXIT.runtime,
      };
    case 'EACCES':
      return {
        message: `not allowed to listen on ${where}${on}: ports below 1024 need privileges; choose another with --port (SPOUT_PORT)`,
        exitCode: EXIT.runtime,
      };
    case 'EADDRNOTAVAIL':
      return {
        message: `cannot listen on ${error.address ?? 'that address'}: no interface of this machine has it; choose another with --host (SPOUT_HOST)`,
        exitCode: EXIT.runtime,
      };
    default:
      return {
        message: `cannot listen on ${where}${on}: ${firstLine(error.message)}`,
        exitCode: EXIT.runtime,
      };
  }
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

function fileFailure(error: SystemError): Failure {
  const problem =
    error.code === 'EEXIST' && error.syscall === 'mkdir'
      ? 'is a file where a directory is needed'
      : (FILE_PROBLEMS[error.code!] ?? firstLine(error.message));
  return { message: `${error.path}: ${problem}`, exitCode: EXIT.runtime };
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0]!;
}

/** Whether SPOUT_DEBUG asks for stack traces. */
export function debugEnabled(env: NodeJS.ProcessEnv): boolean {
  const value = env['SPOUT_DEBUG'];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** The text `spout` writes to stderr for a failure. */
export function failureText(error: unknown, env: NodeJS.ProcessEnv): string {
  const { message } = describeFailure(error);
  if (!debugEnabled(env)) return `spout: ${message}\n`;
  const stack = error instanceof Error && error.stack !== undefined ? error.stack : String(error);
  return `spout: ${message}\n${stack}\n`;
}
