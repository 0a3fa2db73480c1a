/**
 * Matching a string against an RFC 6570 URI Template (levels 1 to 4).
 *
 * A template compiles to a small automaton (one state per literal character and one or two
 * per expression) that is run over the string by keeping the set of live states: the
 * cost is at most (string length × states), whatever the template. Backtracking regular
 * expressions can take exponential time on templates like `{+a}/{+b}/{+c}` and a crafted
 * topic; this cannot ([draft-08] hubs MUST bound the cost of evaluating patterns).
 */

/** Expressions allowed in one template. */
export const MAX_EXPRESSIONS = 16;

/** Why a string is not a valid URI Template. */
export class UriTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UriTemplateError';
  }
}

/** A compiled template. */
export interface TemplateMatcher {
  /** True when `value` is a possible expansion of the template. */
  test(value: string): boolean;
}

type CharTest = (code: number) => boolean;

function asciiClass(chars: string): CharTest {
  const table = new Uint8Array(128);
  for (const char of chars) table[char.charCodeAt(0)] = 1;
  // Non-ASCII characters of IRIs (RFC 3987 ucschar) may appear unencoded in topics.
  return (code) => (code < 128 ? table[code] === 1 : code >= 0xa0);
}

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
// [RFC 6570 3.2.1] values are unreserved characters or pct-encoded triplets; `,` and `=` separate list and pair items.
const SIMPLE = asciiClass(`${UNRESERVED}%,=`);
// `+` and `#` also allow reserved characters.
const RESERVED = asciiClass(`${UNRESERVED}%:/?#[]@!$&'()*+,;=`);
const QUERY = asciiClass(`${UNRESERVED}%,=&`);

// [RFC 6570 2.3] varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded
const VARSPEC =
  /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(?::[1-9][0-9]{0,3}|\*)?$/;
const OPERATORS = new Set(['+', '#', '.', '/', ';', '?', '&']);

/** A nondeterministic automaton: character edges and empty (epsilon) edges. */
class Automaton {
  readonly edges: { test: CharTest; to: number }[][] = [[]];
  readonly empty: number[][] = [[]];

  state(): number {
    this.edges.push([]);
    this.empty.push([]);
    return this.edges.length - 1;
  }

  /** `state` -> loop over `test` (zero or more characters) -> returned state. */
  star(from: number, test: CharTest): number {
    const loop = this.state();
    this.empty[from]!.push(loop);
    this.edges[loop]!.push({ test, to: loop });
    return loop;
  }

  /** Optional `prefix value*` (once) or repeated (`many`), as operators `#`, `.`, `?` and `/`, `;`, `&` expand. */
  prefixed(from: number, prefix: string, test: CharTest, many: boolean): number {
    const head = many ? this.state() : from;
    if (many) this.empty[from]!.push(head);
    const value = this.state();
    const code = prefix.charCodeAt(0);
    this.edges[head]!.push({ test: (c) => c === code, to: value });
    this.edges[value]!.push({ test, to: value });
    if (many) {
      this.empty[value]!.push(head);
      return head;
    }
    const after = this.state();
    this.empty[from]!.push(after);
    this.empty[value]!.push(after);
    return after;
  }

  literal(from: number, code: number): number {
    const to = this.state();
    this.edges[from]!.push({ test: (c) => c === code, to });
    return to;
  }
}

function addExpression(automaton: Automaton, from: number, operator: string): number {
  switch (operator) {
    case '+':
      return automaton.star(from, RESERVED);
    case '#':
      return automaton.prefixed(from, '#', RESERVED, false);
    case '.':
      return automaton.prefixed(from, '.', SIMPLE, false);
    case '?':
      return automaton.prefixed(from, '?', QUERY, false);
    case '/':
    case ';':
    case '&':
      return automaton.prefixed(from, operator, SIMPLE, true);
    default:
      return automaton.star(from, SIMPLE);
  }
}

function parseExpression(body: string, template: string): string {
  const first = body[0] ?? '';
  const operator = OPERATORS.has(first) ? first : '';
  const list = operator === '' ? body : body.slice(1);
  for (const spec of list.split(',')) {
    if (!VARSPEC.test(spec)) {
      throw new UriTemplateError(`invalid variable "${spec}" in URI template ${JSON.stringify(template)}`);
    }
  }
  return operator;
}

/**
 * The automaton ready to run: the empty-edge closure of every state worked out once, and
 * the state sets kept in buffers reused by every run (matching runs once per update and
 * template, so it must not allocate). The literal text before the first expression and
 * after the last one is compared directly, so most topics that do not match are turned
 * away without running the automaton, and those that do run it only past the prefix.
 */
class TemplateRunner implements TemplateMatcher {
  readonly #edges: readonly { test: CharTest; to: number }[][];
  readonly #closures: readonly Int32Array[];
  readonly #accept: number;
  readonly #prefix: string;
  readonly #suffix: string;
  readonly #afterPrefix: number;
  #current: Int32Array;
  #next: Int32Array;
  readonly #seen: Uint32Array;
  #generation = 0;

  constructor(
    automaton: Automaton,
    literals: { prefix: string; afterPrefix: number; suffix: string },
    accept: number,
  ) {
    const count = automaton.edges.length;
    this.#edges = automaton.edges;
    this.#closures = automaton.empty.map((_, state) => closure(automaton, state));
    this.#accept = accept;
    this.#prefix = literals.prefix;
    this.#suffix = literals.suffix;
    this.#afterPrefix = literals.afterPrefix;
    this.#current = new Int32Array(count);
    this.#next = new Int32Array(count);
    this.#seen = new Uint32Array(count);
  }

  test(value: string): boolean {
    if (!value.startsWith(this.#prefix) || !value.endsWith(this.#suffix)) return false;
    let current = this.#current;
    let next = this.#next;
    let size = this.#add(current, 0, this.#closures[this.#afterPrefix]!, this.#nextGeneration());
    for (let i = this.#prefix.length; i < value.length; ) {
      const code = value.codePointAt(i)!;
      i += code > 0xffff ? 2 : 1;
      const generation = this.#nextGeneration();
      let nextSize = 0;
      for (let k = 0; k < size; k++) {
        for (const edge of this.#edges[current[k]!]!) {
          if (edge.test(code)) nextSize = this.#add(next, nextSize, this.#closures[edge.to]!, generation);
        }
      }
      if (nextSize === 0) return false;
      [current, next] = [next, current];
      size = nextSize;
    }
    this.#current = current;
    this.#next = next;
    for (let k = 0; k < size; k++) if (current[k] === this.#accept) return true;
    return false;
  }

  /** Adds the states of `states` not yet in this generation's set; returns the new size. */
  #add(set: Int32Array, size: number, states: Int32Array, generation: number): number {
    let added = size;
    for (const state of states) {
      if (this.#seen[state] === generation) continue;
      this.#seen[state] = generation;
      set[added++] = state;
    }
    return added;
  }

  #nextGeneration(): number {
    if (this.#generation === 0xffffffff) {
      this.#seen.fill(0);
      this.#generation = 0;
    }
    return ++this.#generation;
  }
}

/** `state` and every state reachable from it by empty edges. */
function closure(automaton: Automaton, state: number): Int32Array {
  const found = new Set<number>([state]);
  const stack = [state];
  while (stack.length > 0) {
    for (const to of automaton.empty[stack.pop()!]!) {
      if (found.has(to)) continue;
      found.add(to);
      stack.push(to);
    }
  }
  return Int32Array.from(found);
}

/**
 * Compiles a URI Template into a matcher for every string it can expand to.
 * @throws {UriTemplateError} when the template is malformed or has more than `MAX_EXPRESSIONS` expressions.
 */
export function compileUriTemplate(template: string): TemplateMatcher {
  const automaton = new Automaton();
  let state = 0;
  let expressions = 0;
  // The state reached by the literal text before the first expression.
  let afterPrefix = 0;
  let i = 0;
  while (i < template.length) {
    const char = template[i]!;
    if (char === '}') throw new UriTemplateError(`unmatched "}" in URI template ${JSON.stringify(template)}`);
    if (char !== '{') {
      const code = template.codePointAt(i)!;
      state = automaton.literal(state, code);
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    if (expressions === 0) afterPrefix = state;
    const end = template.indexOf('}', i);
    const nested = template.indexOf('{', i + 1);
    if (end === -1 || (nested !== -1 && nested < end)) {
      throw new UriTemplateError(`unclosed "{" in URI template ${JSON.stringify(template)}`);
    }
    const operator = parseExpression(template.slice(i + 1, end), template);
    if (++expressions > MAX_EXPRESSIONS) {
      throw new UriTemplateError(`URI template has more than ${MAX_EXPRESSIONS} expressions`);
    }
    state = addExpression(automaton, state, operator);
    i = end + 1;
  }
  const firstExpression = template.indexOf('{');
  if (firstExpression === -1) return { test: (value) => value === template };
  const literals = {
    prefix: template.slice(0, firstExpression),
    afterPrefix,
    suffix: template.slice(template.lastIndexOf('}') + 1),
  };
  return new TemplateRunner(automaton, literals, state);
}

/** True when `template` contains at least one expression (`{...}`). */
export function looksLikeTemplate(template: string): boolean {
  return template.includes('{');
}
