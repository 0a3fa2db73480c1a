/**
 * Preloaded into every process of the hub under test (`NODE_OPTIONS=--import=…`, which node:cluster's
 * workers inherit): a full, compacting garbage collection on SIGUSR2, so that the benchmark reads each
 * process's memory as bench/hub does, with what the connections hold and not uncollected garbage.
 * The hub itself has no such hook and uses no SIGUSR2.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options: object) => void;
process.on('SIGUSR2', () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }));
