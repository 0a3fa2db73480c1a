export { isMatcherType, MATCHER_TYPES, type MatcherType, parseMatcher, UrlPatternError } from './matcher.ts';
export { anyTopicMatches, parseSelector, someSelectorMatches, type TopicSelector } from './selector.ts';
export { type Subscribed, TopicIndex } from './topic-index.ts';
export { compileUriTemplate, MAX_EXPRESSIONS, UriTemplateError } from './uri-template.ts';
