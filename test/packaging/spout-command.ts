/**
 * The installed `spout hub`, started as a user would: the bin from node_modules/.bin, its
 * `#!/usr/bin/env node` finding the project's Node 22 first on PATH.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { cleanEnv, finished, type Result } from './project.ts';

export interface InstalledHub {
  child: ChildProcess;
  exited: Promise<Result>;
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  /** The hub's URL: `${origin}/.well-known/mercure`. */
  url: string;
  /** The development publisher token it printed. */
  token: string;
  /** The environment `spout` runs in (PATH starting at the project's node_modules/.bin). */
  env: NodeJS.ProcessEnv;
}

/** Starts `spout hub --dev` on a free loopback port and waits for its banner. */
export async function startHub(app: string): Promise<InstalledHub> {
  const bin = join(app, 'node_modules', '.bin');
  const env = cleanEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` });
  const args = ['hub', '--dev', '--port', '0', '--host', '127.0.0.1', '--store', 'memory'];
  const child = spawn(join(bin, 'spout'), args, { cwd: app, env, stdio: 'pipe' });
  const exited = finished(child, 60_000, 'spout hub');
  let banner = '';
  const started = new Promise<InstalledHub>((resolve, reject) => {
    // The banner (URL, tokens) goes to stderr, the JSON log to stdout.
    child.stderr!.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      const url = /at (http:\/\/127\.0\.0\.1:\d+)\/\.well-known\/mercure/.exec(banner);
      const token = /publisher token:\s+(\S+)/.exec(banner);
      if (url && token)
        resolve({
          child,
          exited,
          origin: url[1]!,
          url: `${url[1]}/.well-known/mercure`,
          token: token[1]!,
          env,
        });
    });
    exited.then((result) =>
      reject(new Error(`spout hub exited ${result.code}:\n${banner}\n${result.stderr}`)),
    );
  });
  return started;
}

/** Sends SIGTERM and returns how the hub exited. */
export async function stopHub(hub: InstalledHub): Promise<Pick<Result, 'code' | 'signal'>> {
  hub.child.kill('SIGTERM');
  const { code, signal } = await hub.exited;
  return { code, signal };
}
