/**
 * Warns before the process runs out of file descriptors: every connection is one,
 * and at the limit new subscribers fail with EMFILE ("too many open files").
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Logger } from 'pino';

/** The soft limit on open files, from /proc (Linux); undefined elsewhere or when unlimited. */
export function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    return match === null || match[1] === 'unlimited' ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}

/** Open file descriptors of this process (Linux); undefined when it cannot be counted. */
export function openFileCount(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/**
 * Checks the open-file count on an interval and logs a warning with the fix each time
 * it crosses `ratio` of the limit (and once more when it falls back). Returns a stop function.
 */
export function monitorOpenFiles(logger: Logger, intervalMs = 5000, ratio = 0.8): () => void {
  const limit = openFileLimit();
  if (limit === undefined) return () => {};
  let warned = false;
  const timer = setInterval(() => {
    const count = openFileCount();
    if (count === undefined) return;
    if (!warned && count >= limit * ratio) {
      warned = true;
      logger.warn(
        { openFiles: count, limit },
        `the hub has ${count} files open of a limit of ${limit}: at the limit new connections fail with ` +
          '"too many open files". Raise it (ulimit -n, systemd LimitNOFILE=, docker --ulimit nofile=) ' +
          'or spread subscribers over more processes.',
      );
    } else if (warned && count < limit * ratio * 0.9) {
      warned = false;
      logger.info({ openFiles: count, limit }, 'open files are back under the warning level');
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Says at start how many connections each process may hold (every connection is a file descriptor),
 * and warns when the open-file limit cannot hold `maxSubscribers` across the hub's processes.
 */
export function warnOfOpenFileLimit(
  config: { maxSubscribers: number },
  processes: number,
  logger: Logger,
  limit = openFileLimit(),
): void {
  if (limit === undefined) return;
  // Files a process needs besides connections: the store, logs, the UI's static files, a margin.
  const perProcess = Math.max(0, limit - 64);
  const holds = perProcess * processes;
  logger.info(
    { openFileLimit: limit, processes, connectionsPerProcess: perProcess },
    `each hub process may hold about ${perProcess} connections (open-file limit ${limit})`,
  );
  if (holds < config.maxSubscribers) {
    logger.warn(
      { openFileLimit: limit, processes, maxSubscribers: config.maxSubscribers },
      `${processes} process(es) with an open-file limit of ${limit} hold about ${holds} connections, fewer than ` +
        `maxSubscribers (${config.maxSubscribers}): raise the limit (ulimit -n, systemd LimitNOFILE=) or add --workers`,
    );
  }
}
