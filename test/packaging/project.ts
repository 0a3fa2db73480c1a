/**
 * The packaging test's temporary project: the packed tarballs installed, as a user would, into a
 * directory outside the repository, and helpers to run commands there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');
const FIXTURE = join(import.meta.dirname, 'fixture');
/** The oldest Node the packages claim (`engines`), installed from npm into the project. */
export const NODE_22 = '22.13.0';

/**
 * The environment of every command: no NODE_OPTIONS (the repository's --conditions=spout-source
 * would pick the .ts sources) and none of the outer npm's settings.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'NODE_OPTIONS' || name.toLowerCase().startsWith('npm_')) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; rejects after `timeoutMs`, with what it printed. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Result> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: 'pipe' });
  return finished(child, options.timeoutMs ?? 60_000, `${command} ${args.join(' ')}`);
}

/** Collects a child's output until it exits; kills it and rejects after `timeoutMs`. */
export function finished(child: ChildProcess, timeoutMs: number, what: string): Promise<Result> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what}: no exit after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Fails with the command's output unless it exited 0. */
export function ok(result: Result, what: string): Result {
  if (result.code !== 0)
    throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The version the repository installed of a package, so the project's install hits npm's cache. */
function installed(name: string): string {
  const manifest = JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8'));
  return manifest.version as string;
}

/** `npm pack`s every workspace package into `dir`; returns the tarballs by package name. */
export async function packAll(dir: string): Promise<Map<string, string>> {
  const packed = ok(
    await run('npm', ['pack', '--workspaces', '--json', '--pack-destination', dir], { cwd: REPO }),
    'npm pack',
  );
  // prepack scripts (@spout/ui builds before packing) print before npm's JSON.
  const json = packed.stdout.slice(packed.stdout.search(/^\[/m));
  const entries = JSON.parse(json) as { name: string; filename: string }[];
  return new Map(entries.map((entry) => [entry.name, join(dir, entry.filename)]));
}

/** Creates the project outside the repository and installs the tarballs and the tools into it. */
export async function createProject(tarballs: ReadonlyMap<string, string>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'spout-packaging-'));
  const dir = join(root, 'app');
  cpSync(FIXTURE, dir, { recursive: true });
  const dependencies: Record<string, string> = { node: NODE_22 };
  for (const [name, tarball] of tarballs) dependencies[name] = `file:${tarball}`;
  for (const name of ['express', 'esbuild', 'typescript', '@types/node', '@types/express'])
    dependencies[name] = installed(name);
  const manifest = { name: 'spout-user', private: true, type: 'module', dependencies };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  ok(
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--install-links'], {
      cwd: dir,
      timeoutMs: 150_000,
    }),
    'npm install',
  );
  return dir;
}

/** Every symbolic link under `dir`'s node_modules whose target lies in the repository. */
export function linksIntoRepo(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(dir, 'node_modules'), { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const path = join(entry.parentPath, entry.name);
    if (realpathSync(path).startsWith(REPO)) found.push(path);
  }
  return found;
}

/** Writes the first ```js block of a package's README into the project; returns the file name. */
export function readmeExample(dir: string, name: string): string {
  const readme = readFileSync(join(REPO, 'packages', name, 'README.md'), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (code === undefined) throw new Error(`packages/${name}/README.md has no js example`);
  const file = `readme-${name}.mjs`;
  writeFileSync(join(dir, file), code);
  return file;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
