#!/usr/bin/env node
/**
 * The `spout` command's entry point, kept tiny: `spout hub` listens for SIGTERM and SIGINT before
 * anything else loads, so that a stop signal during start-up ends in a graceful shutdown.
 */
import { listenForStop } from './hub/stop-signal.ts';

const stop = process.argv[2] === 'hub' ? listenForStop() : undefined;
const { runCli } = await import('./cli/run.ts');
await runCli(process.argv.slice(2), stop);
