/**
 * Topic selectors, as the classic Mercure protocol defines them ("Topic Selectors"):
 * `*`, an exact string, or an RFC 6570 URI Template. The current protocol's matchers
 * (matcher.ts) share the shape.
 */
import { compileUriTemplate, looksLikeTemplate } from './uri-template.ts';

/** A parsed topic selector. */
export interface TopicSelector {
  /** The selector as the client wrote it. */
  readonly raw: string;
  /** How it matches: everything, the exact string, a compiled URI template or a URL Pattern. */
  readonly kind: 'wildcard' | 'exact' | 'template' | 'urlpattern';
  /** Identifies the matching rule where `raw` alone does not (a URL Pattern and its base URL). */
  readonly key?: string;
  /** The current protocol's matcher type it was given as; undefined for a classic selector. */
  readonly matchType?: 'exact' | 'urlpattern';
  /** True when `topic` matches this selector. */
  matches(topic: string): boolean;
}

/** The reserved selector `*`: every topic. */
export const WILDCARD: TopicSelector = { raw: '*', kind: 'wildcard', matches: () => true };

/** A selector matching exactly `raw`, compared code unit by code unit. */
export function exact(raw: string): TopicSelector {
  return { raw, kind: 'exact', matches: (topic) => topic === raw };
}

/** Compiled selectors are shared: the same few selectors recur in thousands of subscriptions and tokens. */
const cache = new Map<string, TopicSelector>();
const CACHE_LIMIT = 10_000;

/**
 * Parses a selector. Never throws: a string that is not a valid URI Template is
 * still a valid selector that matches only itself ([spec] Topic Selectors, step 4).
 */
export function parseSelector(raw: string): TopicSelector {
  if (raw === '*') return WILDCARD;
  const cached = cache.get(raw);
  if (cached) return cached;
  let selector = exact(raw);
  if (looksLikeTemplate(raw)) {
    try {
      const pattern = compileUriTemplate(raw);
      // [spec] step 2: the selector matches itself, so a template can be compared with another one.
      selector = { raw, kind: 'template', matches: (topic) => topic === raw || pattern.test(topic) };
    } catch {
      // [spec] step 3 applies only to valid URI Templates; an invalid one is an exact string.
    }
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(raw, selector);
  return selector;
}

/** True when at least one of `topics` matches at least one of `selectors`. */
export function anyTopicMatches(selectors: readonly TopicSelector[], topics: readonly string[]): boolean {
  for (const selector of selectors) if (matchesAnyTopic(selector, topics)) return true;
  return false;
}

/** True when one of `selectors` matches `topic`. */
export function someSelectorMatches(selectors: readonly TopicSelector[], topic: string): boolean {
  for (const selector of selectors) if (selector.matches(topic)) return true;
  return false;
}

/** True when `selector` matches one of `topics`. */
export function matchesAnyTopic(selector: TopicSelector, topics: readonly string[]): boolean {
  for (const topic of topics) if (selector.matches(topic)) return true;
  return false;
}
