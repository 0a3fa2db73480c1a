/**
 * The `authorization_details` claim (RFC 9396) of a current-protocol access token, read into the
 * rights the hub checks ([spec] current: Authorization Details; Topic Matcher List).
 */
import { isMatcherType, parseMatcher, type TopicSelector, UrlPatternError } from '../topics/index.ts';
import { ClaimsError, type MercureClaims } from './claims.ts';

/** Most `mercure` details of one token ([spec] hubs SHOULD limit; past it the token is invalid). */
export const MAX_DETAILS = 64;
/** Most topic matchers of one detail. */
export const MAX_DETAIL_TOPICS = 256;
/** Longest matcher of a detail, in characters. */
export const MAX_DETAIL_MATCHER_LENGTH = 1024;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readActions(detail: Json, where: string): string[] {
  const actions = detail['actions'];
  // [spec] a mercure detail MUST have actions: a non-empty array of strings (a non-string is a failure)
  if (!Array.isArray(actions) || actions.length === 0 || !actions.every((a) => typeof a === 'string')) {
    throw new ClaimsError(`${where}: "actions" must be a non-empty array of strings`);
  }
  return actions;
}

function readMatcher(entry: unknown, where: string, base: string): TopicSelector {
  // [spec] an entry that is not a JSON object, or fails to validate, MUST cause the token to be rejected
  if (!isObject(entry) || typeof entry['match'] !== 'string') {
    throw new ClaimsError(`${where}: each topic must be an object with a "match" string`);
  }
  const match = entry['match'];
  if (match.length > MAX_DETAIL_MATCHER_LENGTH) {
    throw new ClaimsError(`${where}: a matcher is longer than ${MAX_DETAIL_MATCHER_LENGTH} characters`);
  }
  // [spec] with no match_type the hub MUST assume exact; an unsupported one MUST reject the token
  const type = entry['match_type'] ?? 'exact';
  if (typeof type !== 'string' || !isMatcherType(type)) {
    throw new ClaimsError(
      `${where}: unsupported "match_type" ${JSON.stringify(type)} (use exact or urlpattern)`,
    );
  }
  try {
    return parseMatcher(type, match, base);
  } catch (error) {
    if (error instanceof UrlPatternError) throw new ClaimsError(`${where}: ${error.message}`);
    throw error;
  }
}

function readTopics(detail: Json, where: string, base: string): TopicSelector[] {
  const topics = detail['topics'];
  // [spec] a mercure detail MUST have topics: a non-empty array of topic matcher objects
  if (!Array.isArray(topics) || topics.length === 0) {
    throw new ClaimsError(`${where}: "topics" must be a non-empty array of topic matchers`);
  }
  if (topics.length > MAX_DETAIL_TOPICS) {
    throw new ClaimsError(`${where}: more than ${MAX_DETAIL_TOPICS} topics`);
  }
  return topics.map((entry) => readMatcher(entry, where, base));
}

function mercureDetails(claim: unknown): Json[] {
  if (claim === undefined) return [];
  if (!Array.isArray(claim)) throw new ClaimsError('"authorization_details" must be an array');
  // [RFC 9396] details of other types are for other resource servers: not ours to judge
  const details = claim.filter((detail) => isObject(detail) && detail['type'] === 'mercure') as Json[];
  if (claim.some((detail) => !isObject(detail))) {
    throw new ClaimsError('"authorization_details" entries must be objects');
  }
  if (details.length > MAX_DETAILS)
    throw new ClaimsError(`more than ${MAX_DETAILS} "mercure" authorization details`);
  return details;
}

/**
 * [spec] the payload of the first subscribe detail whose topics match the subscription's own matcher
 * (the matcher string taken as a topic).
 */
function payloadOf(
  payloads: readonly { topics: TopicSelector[]; payload: unknown }[],
  matcher: string,
): unknown {
  return payloads.find((detail) => detail.topics.some((topic) => topic.matches(matcher)))?.payload;
}

/**
 * Reads the rights of an access token's claims. `base` is the hub's URL, against which relative
 * URL patterns are resolved. A token with no `mercure` detail grants nothing.
 * @throws {ClaimsError} when any `mercure` detail is malformed: [spec] partial acceptance is forbidden.
 */
export function readAuthorizationDetails(payload: Json, base: string): MercureClaims {
  const publish: TopicSelector[] = [];
  const subscribe: TopicSelector[] = [];
  const payloads: { topics: TopicSelector[]; payload: unknown }[] = [];
  mercureDetails(payload['authorization_details']).forEach((detail, index) => {
    const where = `"authorization_details" mercure entry ${index}`;
    const actions = readActions(detail, where);
    const topics = readTopics(detail, where, base);
    const detailPayload = detail['payload'];
    if (detailPayload !== undefined && !isObject(detailPayload)) {
      throw new ClaimsError(`${where}: "payload" must be an object`);
    }
    // [spec] unrecognized actions grant nothing and do not invalidate the token
    if (actions.includes('publish')) publish.push(...topics);
    if (actions.includes('subscribe')) {
      subscribe.push(...topics);
      payloads.push({ topics, payload: detailPayload });
    }
  });
  return { publish, subscribe, payload: undefined, payloadFor: (matcher) => payloadOf(payloads, matcher) };
}
