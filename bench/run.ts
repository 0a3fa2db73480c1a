/**
 * Runs every benchmark (bench/<name>/main.ts), one after another, each in its
 * own process so they do not disturb each other's heap or JIT.
 * `npm run bench` runs all; `npm run bench -- parser fanout` runs those named.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = import.meta.dirname;
const all = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'main.ts')))
  .map((entry) => entry.name)
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
// Every process of a benchmark (its servers and clients, forked with their own flags) resolves the
// workspace packages from source, so that no build is needed.
const env = {
  ...process.env,
  NODE_OPTIONS: [process.env['NODE_OPTIONS'], '--conditions=spout-source'].filter(Boolean).join(' '),
};
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== bench: ${name} ===`);
  // --expose-gc lets a benchmark settle the heap before measuring memory; the EventSource flag makes
  // Node's own (undici) EventSource available as a point of comparison on Node 22.
  const flags = ['--expose-gc', '--experimental-eventsource'];
  const result = spawnSync(process.execPath, [...flags, join(root, name, 'main.ts')], {
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) {
    console.error(`bench ${name} failed (exit ${result.status ?? result.signal})`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
