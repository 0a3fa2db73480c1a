/**
 * Subscribers with the same selectors and the same `mercure.subscribe` claim receive
 * exactly the same updates: the index holds one group for them, matching and
 * authorization run once per group, and the group's bytes are shared by its members.
 */
import type { MercureClaims } from '../auth/index.ts';
import type { Subscribed, TopicSelector } from '../topics/index.ts';
import type { Subscriber } from './subscriber.ts';

/** Subscribers that receive the same updates. */
export class SubscriberGroup implements Subscribed {
  readonly key: string;
  readonly selectors: readonly TopicSelector[];
  /** Claims that decide private updates (`subscribe` is the same for every member). */
  readonly claims: MercureClaims;
  readonly members = new Set<Subscriber>();

  constructor(key: string, subscriber: Subscriber) {
    this.key = key;
    this.selectors = subscriber.selectors;
    this.claims = subscriber.claims;
  }
}

/** What decides which updates a subscriber receives, as a string. */
export function groupKey(subscriber: Subscriber): string {
  const selectors = subscriber.selectors.map((s) => s.raw).sort();
  const subscribe = subscriber.claims.subscribe?.map((s) => s.raw).sort() ?? null;
  return JSON.stringify([selectors, subscribe]);
}
