#!/usr/bin/env node
import { describeFailure, EXIT, failureText } from './cli/failure.ts';
/**
 * The `spout` command: hub, pub, sub, token.
 */
import { hubCommand } from './cli/hub-command.ts';
import { PUB_HELP, pubCommand } from './cli/pub-command.ts';
import { SUB_HELP, subCommand } from './cli/sub-command.ts';
import { TOKEN_HELP, tokenCommand } from './cli/token-command.ts';

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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'hub':
      return hubCommand(rest);
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
      process.stderr.write(`spout: unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      return EXIT.configuration;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(failureText(error, process.env));
    process.exitCode = describeFailure(error).exitCode;
  },
);
