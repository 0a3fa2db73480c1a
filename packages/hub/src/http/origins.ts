/**
 * The origins of `corsOrigins`: serialized origins (`https://app.example.com`), the subdomain wildcard
 * form the Go hub accepts (`https://*.example.com`), or `*`. Anything else is refused at start: an
 * origin with a path or a trailing slash would never equal what a browser sends.
 */

/** `scheme://*.` then a host (and port): every subdomain of that host, at any depth. */
const WILDCARD = /^([a-z][a-z0-9+.-]*):\/\/\*\.([^/?#*]+)$/i;

/** Why `origin` cannot be an allowed origin, or undefined when it can. */
export function originRefusal(origin: string): string | undefined {
  if (origin === '*') return undefined;
  const wildcard = WILDCARD.exec(origin);
  const sample = wildcard === null ? origin : `${wildcard[1]}://x.${wildcard[2]}`;
  let serialized: string;
  try {
    serialized = new URL(sample).origin;
  } catch {
    return `${JSON.stringify(origin)} is not an origin (scheme://host[:port])`;
  }
  if (serialized !== sample) {
    return `${JSON.stringify(origin)} is not an origin as browsers send it (scheme://host[:port], no path, no trailing slash): ${JSON.stringify(serialized)}?`;
  }
  return undefined;
}

/**
 * A predicate saying whether a request's `Origin` is allowed by `origins` (already checked by
 * originRefusal). A wildcard matches the subdomains of its host, not the host itself.
 */
export function originMatcher(origins: readonly string[]): (origin: string) => boolean {
  const exact = new Set(origins.filter((origin) => !WILDCARD.test(origin)));
  const suffixes = origins.flatMap((origin) => {
    const wildcard = WILDCARD.exec(origin);
    return wildcard === null
      ? []
      : [{ scheme: `${wildcard[1]!.toLowerCase()}://`, host: `.${wildcard[2]!.toLowerCase()}` }];
  });
  if (exact.has('*')) return () => true;
  return (origin) =>
    exact.has(origin) ||
    suffixes.some(
      ({ scheme, host }) =>
        origin.startsWith(scheme) && origin.endsWith(host) && origin.length > scheme.length + host.length,
    );
}
