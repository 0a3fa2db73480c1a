import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMatcherType, parseMatcher } from './matcher.ts';

const HUB = 'https://hub.example/.well-known/mercure';

describe('topic matchers ([spec] current protocol: Matcher Types)', () => {
  it('[spec] "the matcher value * is reserved as a wildcard": it matches every topic, whatever the type', () => {
    for (const type of ['exact', 'urlpattern'] as const) {
      assert.equal(parseMatcher(type, '*', HUB).matches('anything at all'), true);
    }
  });

  it('[spec] exact: "MUST perform an exact, case-sensitive, byte-for-byte comparison"', () => {
    const matcher = parseMatcher('exact', 'https://example.com/Foo', HUB);
    assert.equal(matcher.matches('https://example.com/Foo'), true);
    assert.equal(matcher.matches('https://example.com/foo'), false);
    assert.equal(matcher.matches('https://EXAMPLE.com/Foo'), false);
  });

  it('[spec] exact: "MUST NOT resolve relative values against the hub\'s URL"', () => {
    const matcher = parseMatcher('exact', '/books/1', HUB);
    assert.equal(matcher.matches('https://hub.example/books/1'), false);
    assert.equal(matcher.matches('/books/1'), true);
  });

  it('[spec] exact: "MUST NOT perform Unicode or IRI normalization"', () => {
    const composed = 'https://example.com/caf\u00e9';
    const decomposed = 'https://example.com/cafe\u0301';
    assert.equal(parseMatcher('exact', composed, HUB).matches(decomposed), false);
    assert.equal(
      parseMatcher('exact', 'https://example.com/a%2Fb', HUB).matches('https://example.com/a/b'),
      false,
    );
  });

  it('exact: a URI Template is not interpreted under the current protocol', () => {
    const matcher = parseMatcher('exact', 'https://example.com/books/{id}', HUB);
    assert.equal(matcher.matches('https://example.com/books/1'), false);
  });

  it('matcher type names are case-sensitive ([spec] canonical form)', () => {
    assert.equal(isMatcherType('urlpattern'), true);
    assert.equal(isMatcherType('URLPattern'), false);
    assert.equal(isMatcherType('regex'), false);
  });
});
