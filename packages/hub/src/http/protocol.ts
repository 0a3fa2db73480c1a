/**
 * Which Mercure protocol serves a request: the classic one (draft-07/08: `topic` selectors, the
 * `mercure` claim) or the current one (`match*` matchers, `at+jwt` access tokens).
 */
import { HttpError } from './errors.ts';

/** A protocol a request is served by. */
export type Protocol = 'classic' | 'current';

/** The operator's choice (setting `protocol`): one protocol, or both side by side. */
export type ProtocolSetting = Protocol | 'both';

/** The reserved prefix of the current protocol's matcher parameters, compared case-insensitively. */
const MATCH_PREFIX = 'match';

/** True for a name in the reserved `match` namespace: `match`, or beginning with it in any case. */
export function inMatchNamespace(name: string): boolean {
  return name.slice(0, MATCH_PREFIX.length).toLowerCase() === MATCH_PREFIX;
}

/** True when the query has a parameter in the reserved `match` namespace ([spec] current protocol). */
export function hasMatchParameter(query: URLSearchParams): boolean {
  for (const name of query.keys()) if (inMatchNamespace(name)) return true;
  return false;
}

/**
 * The protocol of a subscription request. With `both`, `match*` parameters announce the current
 * protocol and `topic` parameters the classic one; a request with neither is classic (and refused
 * for lack of a selector).
 * @throws {HttpError} 400 when a request mixes `topic` and `match*` parameters.
 */
export function subscribeProtocol(query: URLSearchParams, setting: ProtocolSetting): Protocol {
  if (setting !== 'both') return setting;
  const current = hasMatchParameter(query);
  if (current && query.has('topic')) {
    throw new HttpError(
      400,
      'the request mixes "topic" (classic Mercure) and "match" (current Mercure) parameters: use one protocol',
    );
  }
  return current ? 'current' : 'classic';
}

/** The value of a JWS protected header's `typ`, or undefined when the token has none or is not a JWS. */
function tokenType(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const header = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8')) as unknown;
    const typ = (header as { typ?: unknown } | null)?.typ;
    return typeof typ === 'string' ? typ : undefined;
  } catch {
    return undefined;
  }
}

/** True when a token announces itself as an RFC 9068 access token (`at+jwt`, `application/` optional). */
export function isAccessToken(token: string): boolean {
  const typ = tokenType(token)?.toLowerCase();
  return typ === 'at+jwt' || typ === 'application/at+jwt';
}
