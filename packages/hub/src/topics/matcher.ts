/**
 * Topic matchers of the current Mercure protocol ([spec] Matcher Types): a matcher type
 * (`exact` or `urlpattern`) and a value; `*` matches every topic whatever the type.
 */
import { exact, type TopicSelector, WILDCARD } from './selector.ts';
import { UrlPatternError, urlPatternSelector } from './url-pattern.ts';

/** The matcher types this hub supports ([spec] hubs MUST support both). */
export const MATCHER_TYPES = ['exact', 'urlpattern'] as const;

/** A matcher type name. */
export type MatcherType = (typeof MATCHER_TYPES)[number];

/** True when `name` is a supported matcher type, compared case-sensitively ([spec] canonical form). */
export function isMatcherType(name: string): name is MatcherType {
  return (MATCHER_TYPES as readonly string[]).includes(name);
}

/**
 * Builds a matcher. `base` is the hub's URL, against which relative URL patterns and topics are
 * resolved; exact matchers never resolve anything.
 * @throws {UrlPatternError} for a `urlpattern` value that is not a URL Pattern, or too costly.
 */
export function parseMatcher(type: MatcherType, value: string, base: string): TopicSelector {
  // [spec] the value * is recognized before the matcher type is resolved: it matches every topic
  if (value === '*') return { ...WILDCARD, matchType: type };
  // [spec] exact: byte-for-byte, case-sensitive, MUST NOT resolve relative values nor normalize
  if (type === 'exact') return { ...exact(value), matchType: type };
  return { ...urlPatternSelector(value, base), matchType: type };
}

export { UrlPatternError };
