/**
 * Which Mercure protocol serves a request: the classic one (draft-07/08: `topic` selectors, the
 * `mercure` claim) or the current one (`match*` matchers, `at+jwt` access tokens).
 */

import type { Protocol, ProtocolSetting } from '../auth/index.ts';
import { HttpError } from './errors.ts';

export type { Protocol, ProtocolSetting };

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
