/**
 * GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]: the active
 * subscriptions web API ([spec] Active Subscriptions: Subscription API).
 */

import type { ServerResponse } from 'node:http';
import {
  MERCURE_CONTEXT,
  SUBSCRIPTIONS_PATH,
  type SubscriptionInfo,
  subscriptionDocument,
} from '../core/subscription-events.ts';
import { isMatcherType, type MatcherType, someSelectorMatches } from '../topics/index.ts';
import { authenticate } from './authenticate.ts';
import type { AnyRequest } from './body.ts';
import type { HubContext } from './context.ts';
import { type AnyResponse, HttpError, insufficientScope, sendJson, unauthorized } from './errors.ts';
import { storeRefusal } from './store-refusal.ts';

/** What a subscriptions API path asks for. */
export interface SubscriptionsQuery {
  topic?: string;
  subscriber?: string;
  /** Set for the current protocol's paths: `{match_type}/{match}[/{subscriber}]`. */
  matchType?: MatcherType;
}

/**
 * The decoded variables of a subscriptions API path; undefined when the path is not one. Classic paths are
 * `{topic}[/{subscriber}]`, current ones `{match_type}/{match}[/{subscriber}]`: two segments starting with a
 * matcher type are read the current way.
 */
export function parseSubscriptionsPath(rawPath: string): SubscriptionsQuery | undefined {
  if (rawPath === SUBSCRIPTIONS_PATH) return {};
  if (!rawPath.startsWith(`${SUBSCRIPTIONS_PATH}/`)) return undefined;
  const segments = rawPath.slice(SUBSCRIPTIONS_PATH.length + 1).split('/');
  if (segments.length > 3 || segments.some((segment) => segment === '')) return undefined;
  let decoded: string[];
  try {
    decoded = segments.map(decodeURIComponent);
  } catch {
    throw new HttpError(400, 'the subscriptions path is not valid percent-encoding');
  }
  const [first, second, third] = decoded as [string, string?, string?];
  if (segments.length > 1 && isMatcherType(segments[0]!)) {
    const query: SubscriptionsQuery = { matchType: segments[0] as MatcherType, topic: second! };
    return third === undefined ? query : { ...query, subscriber: third };
  }
  if (third !== undefined) return undefined;
  return second === undefined ? { topic: first } : { topic: first, subscriber: second };
}

/** Every active subscription of the hub: of every process and node its directory spans. */
async function activeSubscriptions(ctx: HubContext): Promise<SubscriptionInfo[]> {
  try {
    const entries = await ctx.core.directory.list();
    return entries.flatMap((entry) => entry.subscriptions);
  } catch (error) {
    // A directory on Redis cannot list other nodes while Redis is down: 503 with Retry-After.
    throw storeRefusal(error) ?? error;
  }
}

function wantedBy(wanted: SubscriptionsQuery, info: SubscriptionInfo): boolean {
  return (
    info.matchType === wanted.matchType &&
    (wanted.topic === undefined || info.topic === wanted.topic) &&
    (wanted.subscriber === undefined || info.subscriber === wanted.subscriber)
  );
}

/** Answers a subscriptions API request. */
export async function handleSubscriptions(
  ctx: HubContext,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
  rawPath: string,
): Promise<void> {
  const wanted = parseSubscriptionsPath(rawPath);
  if (wanted === undefined) throw new HttpError(404, 'no such subscriptions resource');
  const identity = await authenticate(req, query, ctx.subscriberAuth, ctx.trustProxy);
  // [spec] clients MUST be authorized to access the web API
  if (identity === undefined) throw unauthorized('the subscriptions API requires a token', false);
  // [spec] the requested URL MUST match at least one selector of mercure.subscribe
  const allowed = identity.claims.subscribe;
  if (allowed === undefined || !someSelectorMatches(allowed, rawPath)) {
    // [spec] current: 403 with error="insufficient_scope"
    if (identity.protocol === 'current')
      throw insufficientScope(`the access token grants no "subscribe" on ${rawPath}`);
    throw new HttpError(403, `the token's "mercure.subscribe" claim does not cover ${rawPath}`);
  }
  // [spec] all endpoints MUST set lastEventID: the last event dispatched, or `earliest`
  const lastEventID = ctx.core.dispatcher.last?.id ?? 'earliest';
  const headers = {
    ...ctx.cors.headers(req.headers.origin),
    link: '</.well-known/mercure>; rel="mercure"',
    'cache-control': 'must-revalidate',
    etag: JSON.stringify(lastEventID),
  };
  // The ETag is the last event id: every subscription that starts or ends publishes an event, so an
  // unchanged id means an unchanged answer (give or take the moment its event is being stored).
  if (req.headers['if-none-match'] === headers.etag) {
    (res as ServerResponse).writeHead(304, headers);
    res.end();
    return;
  }
  const all = await activeSubscriptions(ctx);
  // The collection lists every subscription, whichever protocol made it.
  const matching = wanted.topic === undefined ? all : all.filter((info) => wantedBy(wanted, info));
  // [spec] the web API MUST set Content-Type: application/ld+json
  if (wanted.subscriber !== undefined) {
    // [spec] a single subscription that does not exist MUST be answered 404
    const found = matching[0];
    if (found === undefined) throw new HttpError(404, 'no such subscription');
    // [spec] current: last_event_id; classic: lastEventID
    const document = { ...subscriptionDocument(found, true), lastEventID, last_event_id: lastEventID };
    sendJson(res, 200, document, headers, 'application/ld+json');
    return;
  }
  sendJson(
    res,
    200,
    {
      '@context': MERCURE_CONTEXT,
      id: rawPath,
      type: 'Subscriptions',
      lastEventID,
      last_event_id: lastEventID,
      subscriptions: matching.map((info) => subscriptionDocument(info, false)),
    },
    headers,
    'application/ld+json',
  );
}
