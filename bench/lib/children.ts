/** Child processes of the benchmarks: started with fork, asked questions over IPC, answers awaited with a time limit. */
import { type ChildProcess, fork } from 'node:child_process';

/** Most a benchmark waits for a child's answer before giving up with an error. */
const ANSWER_TIMEOUT_MS = 120_000;

/** Rejects when `promise` has not settled within ANSWER_TIMEOUT_MS: a stuck child must not hang a benchmark. */
export function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Sends `message` and resolves with the child's next message. */
export function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  const reply = new Promise<T>((resolve) => child.once('message', (answer) => resolve(answer as T)));
  child.send(message as object);
  return withTimeout(reply);
}

/** Forks `script` (a path or file URL) and resolves with its first message. */
export function start(
  script: string | URL,
  args: string[],
  execArgv: string[] = [],
): Promise<{ child: ChildProcess; first: unknown }> {
  const child = fork(script, args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (first) => resolve({ child, first }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
