/**
 * The template matcher (an automaton run with literal prefix and suffix shortcuts and reused
 * buffers) against a plain regular expression built from the same template: on small
 * templates and strings the two must always agree.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileUriTemplate } from './uri-template.ts';

const UNRESERVED = 'A-Za-z0-9\\-._~';
const NON_ASCII = '\\u00a0-\\u{10ffff}';
const SIMPLE = `[${UNRESERVED}%,=${NON_ASCII}]`;
const RESERVED = `[${UNRESERVED}%:/?#\\[\\]@!$&'()*+,;=${NON_ASCII}]`;
const QUERY = `[${UNRESERVED}%,=&${NON_ASCII}]`;

/** [RFC 6570 3.2] what each operator's expansion may look like, as a regular expression. */
const EXPANSIONS: Record<string, string> = {
  '': `${SIMPLE}*`,
  '+': `${RESERVED}*`,
  '#': `(?:#${RESERVED}*)?`,
  '.': `(?:\\.${SIMPLE}*)?`,
  '?': `(?:\\?${QUERY}*)?`,
  '/': `(?:/${SIMPLE}*)*`,
  ';': `(?:;${SIMPLE}*)*`,
  '&': `(?:&${SIMPLE}*)*`,
};

function referenceMatcher(template: string): RegExp {
  const source = template.replace(/\{([^}]*)\}|([^{]+)/gu, (_, expression: string | undefined, literal) => {
    if (literal !== undefined) return (literal as string).replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    const operator = /^[+#./;?&]/.test(expression!) ? expression![0]! : '';
    return EXPANSIONS[operator]!;
  });
  return new RegExp(`^${source}$`, 'u');
}

const piece = fc.oneof(
  fc.constantFrom('/', 'a', 'b', '.', '?', '#', '&', ';', '=', ',', 'é', '😀'),
  fc.constantFrom('{x}', '{+x}', '{#x}', '{.x}', '{/x}', '{;x}', '{?x}', '{&x}', '{x,y}'),
);
const templateArbitrary = fc.array(piece, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(''));
const valueArbitrary = fc
  .array(fc.constantFrom('/', 'a', 'b', '.', '?', '#', '&', ';', '=', ',', '%', ' ', 'é', '😀', '\u0085'), {
    maxLength: 10,
  })
  .map((chars) => chars.join(''));

test('[RFC 6570] a template matches exactly the strings its expansions can produce (against a regular expression)', () => {
  fc.assert(
    fc.property(templateArbitrary, fc.array(valueArbitrary, { maxLength: 8 }), (template, values) => {
      const matcher = compileUriTemplate(template);
      const reference = referenceMatcher(template);
      // The matcher's buffers are reused: a run must not depend on the runs before it.
      for (const value of values)
        assert.equal(matcher.test(value), reference.test(value), `${template} ~ ${value}`);
    }),
    { numRuns: 2000 },
  );
});

test('[RFC 6570] a template matches values that start with its prefix and end with its suffix only through its expressions', () => {
  const matcher = compileUriTemplate('https://example.com/rooms/{room}/messages');
  assert.equal(matcher.test('https://example.com/rooms/42/messages'), true);
  assert.equal(matcher.test('https://example.com/rooms/4/2/messages'), false);
  assert.equal(matcher.test('https://example.com/rooms/messages'), false);
  assert.equal(matcher.test('https://example.com/rooms//messages'), true);
});
