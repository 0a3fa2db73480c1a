/**
 * Authorization decisions ([spec] Authorization: Publishers and Subscribers). Pure.
 */
import { anyTopicMatches, someSelectorMatches } from '../topics/index.ts';
import type { MercureClaims } from './claims.ts';

/** The parts of an update that authorization looks at. */
export interface Addressed {
  readonly topics: readonly string[];
  readonly private: boolean;
}

/** Why a publisher may not dispatch an update, or undefined when it may. */
export function publishRefusal(claims: MercureClaims, update: Addressed): string | undefined {
  const allowed = claims.publish;
  // [spec] if mercure.publish is not defined, or contains an empty array, the publisher MUST NOT be
  // authorized to dispatch any update (Mercure since 2022; older drafts let an empty array publish
  // public updates)
  if (allowed === undefined) return 'the token has no "mercure.publish" claim, so it cannot publish';
  if (allowed.length === 0) return 'the token\'s "mercure.publish" claim is empty, so it cannot publish';
  // [spec] every topic of the update MUST match at least one selector of mercure.publish
  for (const topic of update.topics) {
    if (!someSelectorMatches(allowed, topic)) {
      return `the token's "mercure.publish" claim does not cover topic ${JSON.stringify(topic)}`;
    }
  }
  return undefined;
}

/** True when a subscriber with these claims may receive this update. */
export function mayReceive(claims: MercureClaims, update: Addressed): boolean {
  if (!update.private) return true;
  // [spec] a private update goes only to subscribers whose mercure.subscribe matches one of its topics
  const allowed = claims.subscribe;
  return allowed !== undefined && anyTopicMatches(allowed, update.topics);
}
