/** Child processes of the hub benchmark: started with fork, asked questions over IPC. */
import { type ChildProcess, fork } from 'node:child_process';

/** Sends `message` and resolves with the child's next message. */
export function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (reply) => resolve(reply as T));
    child.send(message as object);
  });
}

/** Forks `script` (relative to this folder) and resolves with its first message. */
export function start(
  script: string,
  args: string[],
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; first: unknown }> {
  const child = fork(new URL(script, import.meta.url), args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (first) => resolve({ child, first }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
