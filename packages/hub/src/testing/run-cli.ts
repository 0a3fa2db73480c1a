/**
 * Runs the `spout` command as a child process for tests, collecting its output.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** A running `spout` process and what it printed so far. */
export interface Child {
  process: ChildProcess;
  stdout: string[];
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `spout <args>` with this Node and the current environment plus `env`. */
export function run(args: string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  const result: Child = {
    process: child,
    stdout: [],
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    result.stdout.push(...lines);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    result.stderr += chunk.toString('utf8');
  });
  return result;
}

/** Resolves with the first stdout line passing `test`; rejects after `timeoutMs`. */
export async function waitForLine(
  child: Child,
  test: (line: string) => boolean,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = child.stdout.find(test);
    if (line !== undefined) return line;
    if (Date.now() > deadline)
      throw new Error(`no matching line; stdout: ${child.stdout.join('\n')} stderr: ${child.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
