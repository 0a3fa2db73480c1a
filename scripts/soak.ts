/**
 * `npm run soak`: the hub's reliability suite (packages/hub/test/reliability) with its counts
 * multiplied by RELIABILITY_SCALE (default 10), one file at a time. Each file's result and
 * time, and the figures the tests measure, are written into docs/reliability.md between the
 * markers of that scale (replacing an earlier run at the same scale).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const suite = join('packages', 'hub', 'test', 'reliability');
const doc = join(root, 'docs', 'reliability.md');
const scale = process.env['RELIABILITY_SCALE'] ?? '10';
const scratch = mkdtempSync(join(tmpdir(), 'spout-soak-'));
const figuresFile = join(scratch, 'figures.jsonl');

interface Figure {
  name: string;
  value: number | string;
  unit: string;
}

const files = readdirSync(join(root, suite))
  .filter((name) => name.endsWith('.test.ts'))
  .sort();
const results: { file: string; passed: boolean; seconds: number }[] = [];
for (const file of files) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--test', '--test-timeout=3600000', join(suite, file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, RELIABILITY_SCALE: scale, RELIABILITY_FIGURES: figuresFile },
  });
  results.push({ file, passed: run.status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
const figures: Figure[] = existsSync(figuresFile)
  ? readFileSync(figuresFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Figure)
  : [];
rmSync(scratch, { recursive: true, force: true });

const begin = `<!-- soak scale ${scale}: begin -->`;
const end = `<!-- soak scale ${scale}: end -->`;
const section = [
  begin,
  `Scale ${scale}, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${availableParallelism()} cores (\`RELIABILITY_SCALE=${scale} npm run soak\`).`,
  '',
  '| file | result | time |',
  '| --- | --- | --- |',
  ...results.map((r) => `| \`${r.file}\` | ${r.passed ? 'pass' : '**fail**'} | ${r.seconds} s |`),
  '',
  '| figure | value |',
  '| --- | --- |',
  ...figures.map((f) => `| ${f.name} | ${f.value}${f.unit === '' ? '' : ` ${f.unit}`} |`),
  end,
].join('\n');
const text = readFileSync(doc, 'utf8');
const at = text.indexOf(begin);
const updated =
  at === -1
    ? `${text.trimEnd()}\n\n${section}\n`
    : `${text.slice(0, at)}${section}${text.slice(text.indexOf(end, at) + end.length)}`;
writeFileSync(doc, updated);
console.log(
  `soak: ${results.filter((r) => r.passed).length} of ${results.length} files passed; figures in ${doc}`,
);
process.exit(results.every((r) => r.passed) ? 0 : 1);
