/**
 * Subscription events and documents ([spec] Active Subscriptions).
 */
import type { Update } from '../store/types.ts';
import { timeOrderedId } from './ids.ts';

/** The fixed JSON-LD context of subscription documents. */
export const MERCURE_CONTEXT = 'https://mercure.rocks/';
/** Where the subscriptions API and subscription event topics live. */
export const SUBSCRIPTIONS_PATH = '/.well-known/mercure/subscriptions';

/** One subscription: a subscriber and one of its selectors. */
export interface SubscriptionInfo {
  topic: string;
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

/** [spec] the topic of a subscription update is an expansion of /.well-known/mercure/subscriptions/{topic}/{subscriber} */
export function subscriptionTopic(topic: string, subscriber: string): string {
  return `${SUBSCRIPTIONS_PATH}/${encodeVariable(topic)}/${encodeVariable(subscriber)}`;
}

/** The JSON-LD document of one subscription. */
export function subscriptionDocument(info: SubscriptionInfo, withContext: boolean): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  if (withContext) document['@context'] = MERCURE_CONTEXT;
  // [spec] id MUST be the same value as the subscription update's topic
  document['id'] = subscriptionTopic(info.topic, info.subscriber);
  document['type'] = 'Subscription';
  document['topic'] = info.topic;
  document['subscriber'] = info.subscriber;
  document['active'] = info.active;
  if (info.payload !== undefined) document['payload'] = info.payload;
  return document;
}

/** The update announcing that a subscription started or ended. */
export function subscriptionUpdate(info: SubscriptionInfo): Update {
  return {
    id: timeOrderedId(),
    topics: [subscriptionTopic(info.topic, info.subscriber)],
    data: JSON.stringify(subscriptionDocument(info, true)),
    // [spec] the subscription update MUST be marked as private
    private: true,
  };
}
