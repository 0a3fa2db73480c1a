/**
 * The `urlpattern` matcher type of the current Mercure protocol ([spec] URL Pattern), on the
 * URL Pattern standard's `URLPattern`, with the evaluation cost bounded (see pattern-cost.ts).
 */
import { URLPattern as URLPatternPolyfill } from 'urlpattern-polyfill/urlpattern';
import { componentCostRefusal, MAX_TOPIC_LENGTH } from './pattern-cost.ts';
import type { TopicSelector } from './selector.ts';

/** Thrown when a pattern is not a URL Pattern, or is one too costly to evaluate. */
export class UrlPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlPatternError';
  }
}

/** The URLPattern class in use: a constructor of the standard's interface. */
export type UrlPatternClass = typeof URLPattern;

/**
 * Node 24 has `URLPattern`; Node 22, which the hub also runs on, does not: the standard's own
 * polyfill stands in there (the cost bound below applies to both, as they compile the same parts).
 */
const URL_PATTERN: UrlPatternClass =
  (globalThis as { URLPattern?: UrlPatternClass }).URLPattern ??
  (URLPatternPolyfill as unknown as UrlPatternClass);

/** Each component of a URLPattern, with the character its named groups cannot cross. */
const COMPONENTS = [
  ['protocol', undefined],
  ['username', undefined],
  ['password', undefined],
  ['hostname', '.'],
  ['port', undefined],
  ['pathname', '/'],
  ['search', undefined],
  ['hash', undefined],
] as const;

function compile(raw: string, base: string, Pattern: UrlPatternClass): URLPattern {
  try {
    // [spec] hubs MUST NOT enable the ignoreCase option
    return new Pattern(raw, base, { ignoreCase: false });
  } catch {
    throw new UrlPatternError(`${JSON.stringify(raw)} is not a valid URL Pattern`);
  }
}

function checkCost(pattern: URLPattern): void {
  for (const [name, separator] of COMPONENTS) {
    const refusal = componentCostRefusal(pattern[name], separator);
    if (refusal !== undefined) throw new UrlPatternError(`the ${name} of the pattern: ${refusal.reason}`);
  }
}

/** True when `pattern` matches `topic`; a topic that is not a URL (even relative to `base`) does not. */
function test(pattern: URLPattern, topic: string, base: string): boolean {
  // [spec] an evaluation past the cost limit MUST be treated as not matching: longer topics are not evaluated
  if (topic.length > MAX_TOPIC_LENGTH) return false;
  try {
    return pattern.test(topic, base);
  } catch {
    // [spec] a topic that cannot be parsed as a URL reference MUST be treated as not matching
    return false;
  }
}

/**
 * Compiles a URL Pattern matcher. [spec] relative patterns and relative topics are resolved
 * against `base`, the hub's URL. `Pattern` is for tests: the implementation in use by default.
 * @throws {UrlPatternError} when `raw` is not a URL Pattern or is too costly to evaluate.
 */
export function urlPatternSelector(
  raw: string,
  base: string,
  Pattern: UrlPatternClass = URL_PATTERN,
): TopicSelector {
  const pattern = compile(raw, base, Pattern);
  checkCost(pattern);
  return {
    raw,
    kind: 'urlpattern',
    key: `urlpattern ${base} ${raw}`,
    matches: (topic) => test(pattern, topic, base),
  };
}
