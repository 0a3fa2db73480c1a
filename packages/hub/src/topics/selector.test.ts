import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anyTopicMatches, parseSelector } from './selector.ts';
import { compileUriTemplate, UriTemplateError } from './uri-template.ts';

describe('topic selectors ([spec] Topic Selectors)', () => {
  it('step 1: the reserved selector * matches every topic', () => {
    const selector = parseSelector('*');
    assert.equal(selector.matches('https://example.com/anything'), true);
    assert.equal(selector.matches(''), true);
  });

  it('step 2: a selector matches the identical string, so a template matches itself', () => {
    assert.equal(parseSelector('https://example.com/foo').matches('https://example.com/foo'), true);
    assert.equal(parseSelector('https://example.com/{id}').matches('https://example.com/{id}'), true);
  });

  it('step 2: exact matching is case-sensitive and does not normalize', () => {
    const selector = parseSelector('https://example.com/Foo');
    assert.equal(selector.matches('https://example.com/foo'), false);
    assert.equal(selector.matches('https://example.com/Foo/'), false);
  });

  it('step 3: a valid URI Template matches the strings it can expand to', () => {
    const selector = parseSelector('https://example.com/books/{id}');
    assert.equal(selector.kind, 'template');
    assert.equal(selector.matches('https://example.com/books/1'), true);
    assert.equal(selector.matches('https://example.com/books/the-best%20one'), true);
    assert.equal(selector.matches('https://example.com/books/1/reviews'), false);
    assert.equal(selector.matches('https://example.com/authors/1'), false);
  });

  it('step 4: an invalid URI Template matches only itself', () => {
    const selector = parseSelector('https://example.com/{unclosed');
    assert.equal(selector.kind, 'exact');
    assert.equal(selector.matches('https://example.com/{unclosed'), true);
    assert.equal(selector.matches('https://example.com/x'), false);
  });

  it('matches when any of several topics matches any selector (canonical or alternate topic)', () => {
    const selectors = [parseSelector('https://example.com/users/foo/{?topic}')];
    assert.equal(
      anyTopicMatches(selectors, [
        'https://example.com/books/1',
        'https://example.com/users/foo/?topic=https%3A%2F%2Fexample.com%2Fbooks%2F1',
      ]),
      true,
    );
    assert.equal(anyTopicMatches(selectors, ['https://example.com/books/1']), false);
  });
});

describe('RFC 6570 template matching', () => {
  const cases: [string, string, boolean][] = [
    ['/a/{x}', '/a/b', true],
    ['/a/{x}', '/a/', true],
    ['/a/{x}', '/a/b/c', false],
    ['/a/{+x}', '/a/b/c', true],
    ['/a{#x}', '/a#frag/ment', true],
    ['/a{#x}', '/a', true],
    ['/a{.x}', '/a.json', true],
    ['/a{/x}', '/a/b/c', true],
    ['/a{/x}', '/a', true],
    ['/a{;x,y}', '/a;x=1;y=2', true],
    ['/a{?x,y}', '/a?x=1&y=2', true],
    ['/a{?x,y}', '/a', true],
    ['/a{?x}{&y}', '/a?x=1&y=2', true],
    ['/a/{x:3}', '/a/abc', true],
    ['/a/{x*}', '/a/a,b,c', true],
    ['/a/{x}{y}', '/a/bc', true],
    ['/a/{x}/b', '/a/1/b', true],
    ['/a/{x}/b', '/a/1/c', false],
  ];
  for (const [template, value, expected] of cases) {
    it(`${template} ${expected ? 'matches' : 'does not match'} ${value}`, () => {
      assert.equal(compileUriTemplate(template).test(value), expected);
    });
  }

  it('treats regular-expression characters in literals literally', () => {
    assert.equal(compileUriTemplate('/a.b/{x}').test('/aXb/1'), false);
    assert.equal(compileUriTemplate('/a+b(c)/{x}').test('/a+b(c)/1'), true);
  });

  it('rejects malformed templates with a message naming the problem', () => {
    assert.throws(() => compileUriTemplate('/a/{x'), /unclosed "\{"/);
    assert.throws(() => compileUriTemplate('/a/x}'), /unmatched "\}"/);
    assert.throws(() => compileUriTemplate('/a/{x y}'), /invalid variable/);
    assert.throws(() => compileUriTemplate('/a/{}'), UriTemplateError);
  });

  it('refuses templates with more than 16 expressions', () => {
    const template = Array.from({ length: 17 }, (_, i) => `{v${i}}`).join('/');
    assert.throws(() => compileUriTemplate(template), /more than 16/);
  });

  // The timeout turns a regression to a backtracking matcher into a failure instead of a hang.
  it(
    'matches in time linear in the topic, even for templates that make regular expressions backtrack',
    { timeout: 20_000 },
    () => {
      // Adjacent and literal-separated reserved expressions: exponential for a backtracking engine.
      const template = compileUriTemplate('{+a}x{+b}x{+c}x{+d}x{+e}x{+f}x{+g}x{+h}!');
      const topic = 'x'.repeat(5000);
      assert.equal(template.test(topic), false);
      assert.equal(template.test(`${topic}!`), true);
    },
  );

  it('accepts unencoded non-ASCII IRI characters in values', () => {
    assert.equal(compileUriTemplate('https://e.com/books/{id}').test('https://e.com/books/été'), true);
  });
});
