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

/** Runs the automaton over `value`, keeping the set of live states (no backtracking). */
function run(automaton: Automaton, accept: number, value: string): boolean {
  const count = automaton.edges.length;
  const seen = new Uint32Array(count);
  let generation = 0;
  let current: number[] = [];
  const close = (states: number[]): number[] => {
    generation++;
    const stack = [...states];
    const closed: number[] = [];
    while (stack.length > 0) {
      const state = stack.pop()!;
      if (seen[state] === generation) continue;
      seen[state] = generation;
      closed.push(state);
      for (const next of automaton.empty[state]!) stack.push(next);
    }
    return closed;
  };
  current = close([0]);
  for (const char of value) {
    const code = char.codePointAt(0)!;
    const next: number[] = [];
    for (const state of current) {
      for (const edge of automaton.edges[state]!) if (edge.test(code)) next.push(edge.to);
    }
    if (next.length === 0) return false;
    current = close(next);
  }
  return current.includes(accept);
}

/**
 * Compiles a URI Template into a matcher for every string it can expand to.
 * @throws {UriTemplateError} when the template is malformed or has more than `MAX_EXPRESSIONS` expressions.
 */
export function compileUriTemplate(template: string): TemplateMatcher {
  const automaton = new Automaton();
  let state = 0;
  let expressions = 0;
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
  const accept = state;
  return { test: (value) => run(automaton, accept, value) };
}

/** True when `template` contains at least one expression (`{...}`). */
export function looksLikeTemplate(template: string): boolean {
  return template.includes('{');
}
