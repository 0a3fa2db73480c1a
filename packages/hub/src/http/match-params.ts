/**
 * The topic matcher query parameters of the current Mercure protocol ([spec] Subscription):
 * `match` (exact), `match_<matcher-type>`, and the reserved `match` namespace around them.
 */
import {
  isMatcherType,
  type MatcherType,
  parseMatcher,
  type TopicSelector,
  UrlPatternError,
} from '../topics/index.ts';
import { HttpError } from './errors.ts';
import { inMatchNamespace } from './protocol.ts';
import { CONTROL, FORMAT } from './update-draft.ts';

/** Limits on the matchers of one request. */
export interface MatcherLimits {
  maxSelectors: number;
  maxSelectorLength: number;
}

/** The matcher type a parameter name selects; undefined outside the reserved namespace. */
function matcherTypeOf(name: string): MatcherType | undefined {
  if (name === 'match') return 'exact';
  if (!inMatchNamespace(name)) return undefined;
  const type = name.startsWith('match_') ? name.slice('match_'.length) : '';
  // [spec] a name in the reserved match namespace that is no supported matcher type MUST be rejected (400)
  if (!isMatcherType(type)) {
    throw new HttpError(
      400,
      `unknown topic matcher query parameter ${JSON.stringify(name)}: use match, match_exact or match_urlpattern`,
    );
  }
  return type;
}

function checkValue(name: string, value: string, limits: MatcherLimits): void {
  // [spec] values MUST NOT contain C0, C1, DEL or Unicode format characters (400)
  if (CONTROL.test(value) || FORMAT.test(value)) {
    throw new HttpError(400, `a "${name}" value contains a control or format character`);
  }
  // [spec] requests exceeding the hub's maximums MUST be rejected with 400
  if (value.length > limits.maxSelectorLength) {
    throw new HttpError(
      400,
      `a "${name}" value is longer than ${limits.maxSelectorLength} characters (setting maxSelectorLength)`,
    );
  }
}

function build(type: MatcherType, value: string, base: string, name: string): TopicSelector {
  try {
    return parseMatcher(type, value, base);
  } catch (error) {
    // [spec] a value not valid for its matcher type is invalid: 400
    if (error instanceof UrlPatternError) throw new HttpError(400, `"${name}": ${error.message}`);
    throw error;
  }
}

/**
 * Reads every matcher of a subscription request. `base` is the hub's URL (relative URL patterns).
 * @throws {HttpError} 400 for an unknown matcher parameter, a bad value, or a limit exceeded.
 */
export function readMatchers(query: URLSearchParams, limits: MatcherLimits, base: string): TopicSelector[] {
  const seen = new Map<string, TopicSelector>();
  let count = 0;
  for (const [name, value] of query) {
    const type = matcherTypeOf(name);
    if (type === undefined) continue;
    // [spec] hubs SHOULD limit the number of matchers; exceeding it MUST be rejected with 400
    if (++count > limits.maxSelectors) {
      throw new HttpError(400, `more than ${limits.maxSelectors} topic matchers (setting maxSelectors)`);
    }
    checkValue(name, value, limits);
    // [spec] hubs MAY deduplicate subscriptions with identical matcher type and pattern
    const key = `${type} ${value}`;
    if (!seen.has(key)) seen.set(key, build(type, value, base, name));
  }
  if (count === 0) {
    throw new HttpError(400, 'missing "match" query parameter: give at least one topic matcher');
  }
  return [...seen.values()];
}
