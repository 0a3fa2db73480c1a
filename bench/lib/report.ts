/** Shared helpers for benchmark scripts: machine description and markdown output. */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** One line that says when and where figures were measured. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const memory = Math.round(totalmem() / 2 ** 30);
  return `${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpu}, ${memory} GiB, Node ${process.version}`;
}

/** Renders rows as a markdown table. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Writes a result section to docs/benchmarks/<name>.md and prints it. */
export function publish(name: string, markdown: string): void {
  console.log(markdown);
  const path = join(import.meta.dirname, '..', '..', 'docs', 'benchmarks', `${name}.md`);
  writeFileSync(path, `${markdown}\n`);
  console.log(`\nwritten to ${path}`);
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
