import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { URLPattern as URLPatternPolyfill } from 'urlpattern-polyfill/urlpattern';
import { MAX_TOPIC_LENGTH } from './pattern-cost.ts';
import {
  urlPatternSelector as selector,
  type UrlPatternClass,
  UrlPatternError,
  urlPatternSelector,
} from './url-pattern.ts';

const HUB = 'https://hub.example/.well-known/mercure';

// Node 24's own URLPattern, and the polyfill the hub uses on Node 22, which has none.
for (const [name, Pattern] of [
  ['native URLPattern', URLPattern],
  ['polyfill used on Node 22', URLPatternPolyfill as unknown as UrlPatternClass],
] as const) {
  describe(`URL Pattern matchers ([spec] URL Pattern), on the ${name}`, () => {
    const urlPatternSelector = (raw: string, base: string) => selector(raw, base, Pattern);
    it('[spec] "The hub MUST support using URL patterns as matchers"', () => {
      const matcher = urlPatternSelector('https://example.com/books/:id', HUB);
      assert.equal(matcher.matches('https://example.com/books/1'), true);
      assert.equal(matcher.matches('https://example.com/books/1/reviews'), false);
      assert.equal(matcher.matches('https://example.com/authors/1'), false);
    });

    it('[spec] "When evaluating a relative pattern ... the hub MUST use the hub\'s URL as the base URL"', () => {
      const matcher = urlPatternSelector('/.well-known/mercure/subscriptions/exact/:topic/:subscriber', HUB);
      assert.equal(matcher.matches('https://hub.example/.well-known/mercure/subscriptions/exact/t/s'), true);
      assert.equal(
        matcher.matches('https://other.example/.well-known/mercure/subscriptions/exact/t/s'),
        false,
      );
    });

    it('[spec] "... or a relative topic, the hub MUST use the hub\'s URL as the base URL"', () => {
      const matcher = urlPatternSelector('https://hub.example/books/:id', HUB);
      assert.equal(matcher.matches('/books/7'), true);
    });

    it('[spec] "hubs MUST NOT enable the ignoreCase option"; hosts stay case-insensitive', () => {
      const matcher = urlPatternSelector('https://example.com/Books/:id', HUB);
      assert.equal(matcher.matches('https://example.com/books/1'), false);
      assert.equal(matcher.matches('https://EXAMPLE.com/Books/1'), true);
    });

    it('[spec] a topic that cannot be parsed as a URL reference "MUST" be treated as not matching', () => {
      const matcher = urlPatternSelector('*://*/*', HUB);
      assert.equal(matcher.matches('http://[not-a-host/x'), false);
    });

    it('a pattern that is not a URL Pattern is refused', () => {
      assert.throws(() => urlPatternSelector('https://example.com/:id(', HUB), UrlPatternError);
    });

    it('custom regexp groups with one quantified atom are accepted', () => {
      const matcher = urlPatternSelector('https://example.com/books/:id(\\d+)', HUB);
      assert.equal(matcher.matches('https://example.com/books/42'), true);
      assert.equal(matcher.matches('https://example.com/books/abc'), false);
    });

    it('a pattern and the same pattern on another hub URL are told apart', () => {
      const a = urlPatternSelector('/x/:id', HUB);
      const b = urlPatternSelector('/x/:id', 'https://other.example/.well-known/mercure');
      assert.notEqual(a.key, b.key);
    });
  });
}

describe('URL Pattern evaluation cost ([spec] "MUST either use a regular expression engine that guarantees linear-time matching ... or enforce an implementation-defined evaluation cost")', () => {
  it('refuses a nested quantifier, which backtracks exponentially', () => {
    assert.throws(() => urlPatternSelector('https://example.com/:x((?:a+)+b)', HUB), /too complex/);
  });

  it('refuses a repeated group holding a variable part', () => {
    assert.throws(() => urlPatternSelector('https://example.com/{:a}+', HUB), /repeated/);
  });

  it('refuses many wildcards competing for the same characters (polynomial backtracking)', () => {
    assert.throws(() => urlPatternSelector('https://example.com/*a*a*a*a*a*a*b', HUB), /compete/);
  });

  it('keeps named groups of different path segments: they cannot compete', () => {
    const matcher = urlPatternSelector('https://example.com/u/:user/b/:book/p/:page/:line', HUB);
    assert.equal(matcher.matches('https://example.com/u/1/b/2/p/3/4'), true);
  });

  it('[spec] past the limit "the pattern MUST be treated as not matching": over-long topics do not match', () => {
    const matcher = urlPatternSelector('https://example.com/*', HUB);
    assert.equal(matcher.matches(`https://example.com/${'a'.repeat(MAX_TOPIC_LENGTH)}`), false);
  });

  it('the costliest accepted pattern on the longest evaluated topic finishes in bounded time', () => {
    // Two wildcards and a bounded regexp: the worst the cost rules let through, on a topic built to fail
    // at the very end. An unbounded pattern (the nested quantifier above) takes hours on such input.
    const worst = [
      urlPatternSelector('https://example.com/*a*b', HUB),
      urlPatternSelector('https://example.com/:x(a+)*c', HUB),
      urlPatternSelector('https://example.com/?q=*a*b', HUB),
    ];
    const prefix = 'https://example.com/';
    const topic = prefix + 'a'.repeat(MAX_TOPIC_LENGTH - prefix.length);
    const started = performance.now();
    for (const matcher of worst) assert.equal(matcher.matches(topic), false);
    assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
  });
});
