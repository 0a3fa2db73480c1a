#!/usr/bin/env node
/**
 * The `spout` command: hub, pub, sub, token.
 */
import { hubCommand } from './cli/hub-command.ts';
import { PUB_HELP, pubCommand } from './cli/pub-command.ts';
import { SUB_HELP, subCommand } from './cli/sub-command.ts';
import { TOKEN_HELP, tokenCommand } from './cli/token-command.ts';
import { ConfigError } from './config/parse.ts';

const USAGE = `Usage: spout <command> [options]

Commands:
  hub     run a Mercure-compatible hub (spout hub --help lists every setting)
  pub     publish an update
  sub     subscribe and print events as they come
  token   mint a development JWT

${PUB_HELP}

${SUB_HELP}

${TOKEN_HELP}`;

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
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`spout: unknown command ${JSON.stringify(command)}\n\n${USAGE}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const known = error instanceof ConfigError || (error instanceof Error && error.name === 'KeyConfigError');
    const message =
      known || !(error instanceof Error) ? String((error as Error).message ?? error) : error.stack;
    process.stderr.write(`spout: ${message}\n`);
    process.exitCode = 2;
  },
);
