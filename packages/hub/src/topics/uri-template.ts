/**
 * Matching a string against an RFC 6570 URI Template (levels 1 to 4).
 *
 * A template compiles to one anchored regular expression: literal parts match
 * themselves, and each expression matches what its operator could expand to.
 * JavaScript regular expressions backtrack, so compilation refuses templates
 * that could make matching slow (see `MAX_EXPRESSIONS`) and merges adjacent
 * expressions whose expansions overlap.
 */

/** Expressions allowed in one template: bounds the backtracking of adjacent expressions. */
export const MAX_EXPRESSIONS = 8;

const UNRESERVED = 'A-Za-z0-9\\-._~';
const RESERVED = ":/?#\\[\\]@!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';

// [RFC 6570 2.3] varname = varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" / pct-encoded
const VARSPEC =
  /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})(?:\.?(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2}))*(?::[1-9][0-9]{0,3}|\*)?$/;
const OPERATORS = new Set(['+', '#', '.', '/', ';', '?', '&']);

/** Why a string is not a valid URI Template. */
export class UriTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UriTemplateError';
  }
}

/** Characters one expanded value may hold, by operator ([RFC 6570 3.2.1] allow U or U+R). */
function valueClass(operator: string): string {
  const allowed = operator === '+' || operator === '#' ? UNRESERVED + RESERVED : UNRESERVED + ',=';
  return `(?:[${allowed}]|${PCT})*`;
}

/** The regular expression for what one expression can expand to ([RFC 6570 3.2.2-3.2.9]). */
function expressionPattern(operator: string): string {
  const value = valueClass(operator);
  switch (operator) {
    case '#':
      return `(?:#${value})?`;
    case '.':
      return `(?:\\.${value})?`;
    case '/':
      return `(?:/${value})*`;
    case ';':
      return `(?:;${value})*`;
    case '?':
      return `(?:\\?(?:[${UNRESERVED},=&]|${PCT})*)?`;
    case '&':
      return `(?:&${value})*`;
    default:
      return value;
  }
}

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
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
 * Compiles a URI Template into an anchored regular expression that matches every
 * string the template can expand to.
 * @throws {UriTemplateError} when the template is malformed or has more than `MAX_EXPRESSIONS` expressions.
 */
export function compileUriTemplate(template: string): RegExp {
  let source = '';
  let literal = '';
  let previousOperator: string | undefined;
  let expressions = 0;
  let i = 0;
  while (i < template.length) {
    const char = template[i]!;
    if (char === '}') throw new UriTemplateError(`unmatched "}" in URI template ${JSON.stringify(template)}`);
    if (char !== '{') {
      literal += char;
      i++;
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
    // Two adjacent expressions with the same operator match the same language as one:
    // emitting one keeps the regular expression free of ambiguous repetitions.
    const merges = literal === '' && previousOperator === operator;
    if (!merges) source += escapeLiteral(literal) + expressionPattern(operator);
    literal = '';
    previousOperator = operator;
    i = end + 1;
  }
  source += escapeLiteral(literal);
  return new RegExp(`^${source}$`, 'u');
}

/** True when `template` contains at least one expression (`{...}`). */
export function looksLikeTemplate(template: string): boolean {
  return template.includes('{');
}
