/**
 * "fetch failed" is all undici says when a request never gets an answer: the reason is in the
 * error's `cause`. This names the URL and that cause (refused, DNS, TLS, timeout) in one line.
 */

interface Cause {
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  cause?: unknown;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused (ECONNREFUSED): is the hub running there, on that host and port?',
  ECONNRESET: 'the connection was reset (ECONNRESET)',
  ETIMEDOUT: 'the connection timed out (ETIMEDOUT)',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out (UND_ERR_CONNECT_TIMEOUT)',
  EAI_AGAIN: 'the DNS lookup failed for now (EAI_AGAIN); try again',
  EHOSTUNREACH: 'no route to the host (EHOSTUNREACH)',
  ENETUNREACH: 'the network is unreachable (ENETUNREACH)',
};

/** The innermost cause with a code: undici nests the system error one or two levels down. */
function rootCause(error: unknown): Cause | undefined {
  let found: Cause | undefined;
  let current = (error as Cause | undefined)?.cause;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if ((current as Cause).code !== undefined) found = current as Cause;
    current = (current as Cause).cause;
  }
  return found;
}

/** One line for a request to `url` that failed before any response. */
export function unreachableMessage(url: string, error: unknown): string {
  const cause = rootCause(error);
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  // Without a coded cause (fetch's own refusals, e.g. "bad port"), the first cause's message says it.
  const first = (error as Cause | undefined)?.cause as Cause | undefined;
  const message = cause?.message ?? first?.message ?? (error as Cause | undefined)?.message;
  const detail = typeof message === 'string' ? message : String(error);
  let reason: string;
  if (code === undefined) reason = detail;
  else if (code === 'ENOTFOUND') reason = `no such host ${URL.parse(url)?.hostname ?? ''} (DNS: ENOTFOUND)`;
  else if (REASONS[code] !== undefined) reason = REASONS[code];
  else if (/CERT|TLS|SSL|SELF_SIGNED|SIGNATURE/.test(code)) reason = `TLS: ${detail} (${code})`;
  else reason = `${detail} (${code})`;
  return `cannot reach ${url}: ${reason}`;
}

/** The error a `spout` command throws for it: a runtime failure (exit code 1). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
  constructor(url: string, cause: unknown) {
    super(unreachableMessage(url, cause), { cause });
  }
}
