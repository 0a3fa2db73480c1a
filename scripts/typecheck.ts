/**
 * `npm run typecheck`: the whole repository against the root tsconfig, then
 * every package that has its own stricter tsconfig (e.g. @spout/protocol
 * compiled without Node's types, so no Node API can slip into it).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const projects = [
  'tsconfig.json',
  ...readdirSync(join(root, 'packages'))
    .map((name) => join('packages', name, 'tsconfig.json'))
    .filter((path) => existsSync(join(root, path))),
];
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', project], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(`typecheck failed: ${project}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
