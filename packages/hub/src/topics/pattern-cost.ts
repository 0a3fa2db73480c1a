/**
 * A static bound on the cost of evaluating a URL Pattern ([spec] URL Pattern: hubs MUST use a
 * linear-time engine or enforce an evaluation cost limit).
 *
 * The URL Pattern standard compiles each component to a backtracking regular expression. Its cost
 * on a topic of n characters grows like n^k, where k is the number of variable-length parts that
 * can compete for the same characters; a repeated group that itself holds a variable part grows
 * exponentially. This module reads a component's pattern string and measures k; the hub refuses
 * patterns above MAX_DEGREE and never evaluates a topic longer than MAX_TOPIC_LENGTH, so every
 * evaluation is bounded by roughly MAX_TOPIC_LENGTH^MAX_DEGREE steps.
 */

/** Most variable-length parts competing for the same characters in one component. */
export const MAX_DEGREE = 2;
/** Most optional groups (`{...}?`, `:name?`) of one component: each doubles the ways to match. */
export const MAX_OPTIONALS = 4;
/** Topics longer than this are never evaluated against a URL pattern: they do not match. */
export const MAX_TOPIC_LENGTH = 2048;

/**
 * A regexp group body whose own cost is linear: one atom with at most one quantifier
 * (`\d+`, `[a-z0-9-]{1,8}`), or an alternation of literals (`jpg|png`).
 */
const SAFE_REGEXP =
  /^(?:(?:\\[dDwWsS]|\[(?:[^\]\\]|\\.)*\]|[A-Za-z0-9_-]|\.)(?:[+*?]|\{\d{1,3}(?:,\d{0,3})?\})?|[A-Za-z0-9_-]+(?:\|[A-Za-z0-9_-]+)*)$/;

/** Why a component is too costly, or undefined when it is within the bounds. */
export interface CostRefusal {
  reason: string;
}

interface Scan {
  /** Parts that may span the separator (wildcards, regexp groups, repeated names). */
  crossing: number;
  /** Largest number of separator-bound parts between two literal separators. */
  maxBound: number;
  optionals: number;
}

/** Reads a `(...)` regexp group starting at `start`; returns its body and the index after it. */
function readRegexp(text: string, start: number): { body: string; end: number } {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') i++;
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return { body: text.slice(start + 1, i), end: i + 1 };
  }
  return { body: text.slice(start + 1), end: text.length };
}

/** The index after a `:name` starting at `start`. */
function readName(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && /[\p{ID_Continue}$]/u.test(text[i]!)) i++;
  return i;
}

function isModifier(char: string | undefined): boolean {
  return char === '?' || char === '*' || char === '+';
}

/**
 * Measures one component's pattern string. `separator` is the character a `:name` cannot cross
 * (`/` in the pathname, `.` in the hostname), or undefined where it can cross anything.
 */
function scan(text: string, separator: string | undefined): Scan | CostRefusal {
  const result: Scan = { crossing: 0, maxBound: 0, optionals: 0 };
  let bound = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    let variable: 'bound' | 'crossing' | undefined;
    let next = i + 1;
    if (char === '\\') next = i + 2;
    else if (char === ':' && readName(text, i) > i + 1) {
      next = readName(text, i);
      variable = separator === undefined ? 'crossing' : 'bound';
      if (text[next] === '(') {
        const group = readRegexp(text, next);
        if (!SAFE_REGEXP.test(group.body))
          return { reason: `the regexp group (${group.body}) is too complex` };
        next = group.end;
        variable = 'crossing';
      }
    } else if (char === '(') {
      const group = readRegexp(text, i);
      if (!SAFE_REGEXP.test(group.body)) return { reason: `the regexp group (${group.body}) is too complex` };
      next = group.end;
      variable = 'crossing';
    } else if (char === '*') variable = 'crossing';
    else if (char === '}' && (text[next] === '*' || text[next] === '+')) {
      return { reason: 'a repeated {...} group can be evaluated in exponential time' };
    } else if (char === separator) {
      bound = 0;
    }
    if (variable !== undefined && isModifier(text[next])) {
      // `:name+` in the pathname repeats whole segments; any other repetition may cross everything.
      if (text[next] === '?') result.optionals++;
      else variable = 'crossing';
      next++;
    } else if (char === '}' && text[next] === '?') {
      result.optionals++;
      next++;
    }
    if (variable === 'crossing') result.crossing++;
    else if (variable === 'bound') result.maxBound = Math.max(result.maxBound, ++bound);
    i = next;
  }
  return result;
}

/**
 * Why a component pattern would be too costly to evaluate, or undefined when its cost is bounded.
 * @param separator the character a `:name` cannot cross in this component, if any.
 */
export function componentCostRefusal(text: string, separator: string | undefined): CostRefusal | undefined {
  const result = scan(text, separator);
  if ('reason' in result) return result;
  const degree = result.crossing + result.maxBound;
  if (degree > MAX_DEGREE) {
    return {
      reason: `more than ${MAX_DEGREE} wildcards, regexp groups or named groups compete for the same characters`,
    };
  }
  if (result.optionals > MAX_OPTIONALS) return { reason: `more than ${MAX_OPTIONALS} optional groups` };
  return undefined;
}
