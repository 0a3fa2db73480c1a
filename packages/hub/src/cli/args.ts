/**
 * Command-line parsing shared by `spout pub`, `sub` and `token`: node:util's parseArgs, with its
 * errors turned into usage errors (exit code 2) that name the option and suggest the nearest one.
 */
import { ConfigError } from '../config/parse.ts';
import { nearest } from '../config/suggest.ts';

/** Runs `parse` (a parseArgs call over `options`); a usage mistake becomes a ConfigError. */
export function parseUsage<T>(command: string, options: object, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw usageError(command, Object.keys(options), error);
  }
}

function usageError(command: string, names: readonly string[], error: unknown): unknown {
  const { code, message } = error as { code?: string; message?: string };
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_') || typeof message !== 'string')
    return error;
  const help = `spout ${command} --help lists the options`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'(-[^']*)'/.exec(message)?.[1] ?? message;
    const suggestion = nearest(option.replace(/^-+/, ''), names);
    const hint = suggestion === undefined ? help : `did you mean --${suggestion}?`;
    return new ConfigError(`unknown option ${option} for spout ${command}; ${hint}`);
  }
  // "Option '--topic <value>' argument missing", "Unexpected argument 'x'...": the first sentence says it.
  return new ConfigError(`${message.split('. ', 1)[0]!.replace(/\.$/, '')} (spout ${command}); ${help}`);
}
