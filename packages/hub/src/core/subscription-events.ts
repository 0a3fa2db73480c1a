/**
 * Subscription events and documents ([spec] Active Subscriptions).
 */
import type { MercureClaims } from '../auth/index.ts';
import type { Update } from '../store/types.ts';
import type { TopicSelector } from '../topics/index.ts';
import { timeOrderedId } from './ids.ts';

/** The fixed JSON-LD context of subscription documents. */
export const MERCURE_CONTEXT = 'https://mercure.rocks/';
/** Where the subscriptions API and subscription event topics live. */
export const SUBSCRIPTIONS_PATH = '/.well-known/mercure/subscriptions';

/** One subscription: a subscriber and one of its selectors. */
export interface SubscriptionInfo {
  /** The selector (classic) or matcher (current) string. */
  topic: string;
  /** The matcher type of a current-protocol subscription; undefined for a classic one. */
  matchType?: 'exact' | 'urlpattern' | undefined;
  subscriber: string;
  active: boolean;
  payload: unknown;
}

/**
 * Percent-encodes like RFC 6570 simple expansion: everything but unreserved characters.
 * [spec] `:`, `/`, `{` and `}` are reserved and MUST be percent encoded during expansion.
 */
export function encodeVariable(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * [spec] the topic of a subscription update is an expansion of /.well-known/mercure/subscriptions/{topic}/{subscriber}
 * (classic), of .../subscriptions/{match_type}/{match}/{subscriber} (current), each variable encoded once.
 */
export function subscriptionTopic(
  info: Pick<SubscriptionInfo, 'topic' | 'subscriber' | 'matchType'>,
): string {
  const type = info.matchType === undefined ? '' : `/${info.matchType}`;
  return `${SUBSCRIPTIONS_PATH}${type}/${encodeVariable(info.topic)}/${encodeVariable(info.subscriber)}`;
}

/** The JSON-LD document of one subscription. */
export function subscriptionDocument(info: SubscriptionInfo, withContext: boolean): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  if (withContext) document['@context'] = MERCURE_CONTEXT;
  // [spec] id MUST be the same value as the subscription update's topic
  document['id'] = subscriptionTopic(info);
  document['type'] = 'Subscription';
  // [spec] current: match_type in its canonical case, and match; classic: topic
  if (info.matchType === undefined) document['topic'] = info.topic;
  else {
    document['match_type'] = info.matchType;
    document['match'] = info.topic;
  }
  document['subscriber'] = info.subscriber;
  document['active'] = info.active;
  if (info.payload !== undefined) document['payload'] = info.payload;
  return document;
}

/** What the events and the API say about one selector of a subscriber. */
export function subscriptionInfo(
  subscriber: { id: string; claims: MercureClaims },
  selector: TopicSelector,
  active: boolean,
): SubscriptionInfo {
  const { claims } = subscriber;
  return {
    topic: selector.raw,
    matchType: selector.matchType,
    subscriber: subscriber.id,
    active,
    payload: claims.payloadFor === undefined ? claims.payload : claims.payloadFor(selector.raw),
  };
}

/** [spec] one subscription update per subscription of each entry, saying whether it is active. */
export function subscriptionEvents(
  entries: readonly { readonly subscriptions: readonly SubscriptionInfo[] }[],
  active: boolean,
): Update[] {
  return entries.flatMap((entry) =>
    entry.subscriptions.map((info) => subscriptionUpdate({ ...info, active })),
  );
}

/** The update announcing that a subscription started or ended. */
export function subscriptionUpdate(info: SubscriptionInfo): Update {
  return {
    id: timeOrderedId(),
    topics: [subscriptionTopic(info)],
    data: JSON.stringify(subscriptionDocument(info, true)),
    // [spec] the subscription update MUST be marked as private
    private: true,
  };
}
