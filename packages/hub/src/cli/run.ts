/**
 * The `spout` command: hub, pub, sub, token.
 */
import { didYouMean } from '../config/suggest.ts';
import type { StopSignal } from '../hub/stop-signal.ts';
import { describeFailure, EXIT, failureText } from './failure.ts';
import { hubCommand } from './hub-command.ts';
import { PUB_HELP, pubCommand } from './pub-command.ts';
import { SUB_HELP, subCommand } from './sub-command.ts';
import { TOKEN_HELP, tokenCommand } from './token-command.ts';

const USAGE = `Usage: spout <command> [options]

Commands:
  hub     run a Mercure-compatible hub (spout hub --help lists every setting)
  pub     publish an update
  sub     subscribe and print events as they come
  token   mint a development JWT

${PUB_HELP}

${SUB_HELP}

${TOKEN_HELP}

Exit codes: 0 done, 1 runtime failure (port in use, unreadable file, hub or store unreachable),
2 configuration or usage error (the message names the setting). Failures are one line;
SPOUT_DEBUG=1 adds the stack trace.`;

const COMMANDS = ['hub', 'pub', 'sub', 'token'];

async function main(argv: readonly string[], stop: StopSignal | undefined): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'hub':
      return hubCommand(rest, stop);
    case 'pub':
      return pubCommand(rest);
    case 'sub':
      return subCommand(rest);
    case 'token':
      return tokenCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? EXIT.configuration : EXIT.ok;
    default:
      process.stderr.write(
        `spout: unknown command ${JSON.stringify(command)}; ${didYouMean(command, COMMANDS, 'the commands are hub, pub, sub and token')}\n\n${USAGE}\n`,
      );
      return EXIT.configuration;
  }
}

/** Runs one command line; sets the exit code (never throws). */
export async function runCli(argv: readonly string[], stop?: StopSignal): Promise<void> {
  try {
    process.exitCode = await main(argv, stop);
  } catch (error) {
    process.stderr.write(failureText(error, process.env));
    process.exitCode = describeFailure(error).exitCode;
  }
}
