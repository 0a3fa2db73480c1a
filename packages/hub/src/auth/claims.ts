/**
 * The `mercure` claim of a JWS ([spec] Authorization: Publishers, Subscribers, Payload).
 */
import { parseSelector, type TopicSelector } from '../topics/index.ts';

/** What a verified token allows. */
export interface MercureClaims {
  /** `mercure.publish` selectors; undefined when the key is absent (publishing is then refused). */
  publish: readonly TopicSelector[] | undefined;
  /** `mercure.subscribe` selectors; undefined when absent (no private update is received). */
  subscribe: readonly TopicSelector[] | undefined;
  /** `mercure.payload`, attached to subscription events. */
  payload: unknown;
  /**
   * The payload of one subscription, by its matcher string, when the token sets payloads per
   * subscription (current protocol); `payload` otherwise.
   */
  payloadFor?: (matcher: string) => unknown;
}

/** The claims of a client that presented no token. */
export const ANONYMOUS: MercureClaims = { publish: undefined, subscribe: undefined, payload: undefined };

/** Thrown when the `mercure` claim has the wrong shape. */
export class ClaimsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClaimsError';
  }
}

function selectorList(value: unknown, key: string): TopicSelector[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ClaimsError(`the "mercure.${key}" claim must be an array of topic selectors (strings)`);
  }
  return value.map(parseSelector);
}

/** The namespaced spelling of the claim that the Go hub also accepts. */
const NAMESPACED_CLAIM = 'https://mercure.rocks/';

/** Reads the `mercure` claim of a verified JWT payload (or its namespaced form, `https://mercure.rocks/`). */
export function readMercureClaims(payload: Record<string, unknown>): MercureClaims {
  const mercure = payload['mercure'] ?? payload[NAMESPACED_CLAIM];
  if (mercure === undefined) return ANONYMOUS;
  if (typeof mercure !== 'object' || mercure === null || Array.isArray(mercure)) {
    throw new ClaimsError('the "mercure" claim must be an object');
  }
  const claim = mercure as Record<string, unknown>;
  return {
    publish: selectorList(claim['publish'], 'publish'),
    subscribe: selectorList(claim['subscribe'], 'subscribe'),
    payload: claim['payload'],
  };
}
