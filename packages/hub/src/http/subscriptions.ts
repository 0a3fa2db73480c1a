/**
 * GET /.well-known/mercure/subscriptions[/{topic}[/{subscriber}]]: the active
 * subscriptions web API ([spec] Active Subscriptions: Subscription API).
 */

import type { HubContext } from '../hub/context.ts';
import {
  MERCURE_CONTEXT,
  SUBSCRIPTIONS_PATH,
  type SubscriptionInfo,
  subscriptionDocument,
} from '../hub/subscription-events.ts';
import { someSelectorMatches } from '../topics/index.ts';
import { authenticate } from './authenticate.ts';
import type { AnyRequest } from './body.ts';
import { type AnyResponse, HttpError, sendJson, unauthorized } from './errors.ts';

/** The decoded `{topic}` and `{subscriber}` of a subscriptions API path; undefined when the path is not one. */
export function parseSubscriptionsPath(rawPath: string): { topic?: string; subscriber?: string } | undefined {
  if (rawPath === SUBSCRIPTIONS_PATH) return {};
  if (!rawPath.startsWith(`${SUBSCRIPTIONS_PATH}/`)) return undefined;
  const segments = rawPath.slice(SUBSCRIPTIONS_PATH.length + 1).split('/');
  if (segments.length > 2 || segments.some((segment) => segment === '')) return undefined;
  try {
    const [topic, subscriber] = segments.map(decodeURIComponent);
    return subscriber === undefined ? { topic: topic! } : { topic: topic!, subscriber };
  } catch {
    throw new HttpError(400, 'the subscriptions path is not valid percent-encoding');
  }
}

function activeSubscriptions(ctx: HubContext): SubscriptionInfo[] {
  const infos: SubscriptionInfo[] = [];
  for (const subscriber of ctx.dispatcher.all()) {
    for (const selector of subscriber.selectors) {
      infos.push({
        topic: selector.raw,
        subscriber: subscriber.id,
        active: true,
        payload: subscriber.claims.payload,
      });
    }
  }
  return infos;
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
    throw new HttpError(403, `the token's "mercure.subscribe" claim does not cover ${rawPath}`);
  }
  // [spec] all endpoints MUST set lastEventID: the last event dispatched, or `earliest`
  const lastEventID = ctx.dispatcher.last?.id ?? 'earliest';
  const headers = {
    ...ctx.cors.headers(req.headers.origin),
    link: '</.well-known/mercure>; rel="mercure"',
    'cache-control': 'must-revalidate',
    etag: JSON.stringify(lastEventID),
  };
  const matching = activeSubscriptions(ctx).filter(
    (info) =>
      (wanted.topic === undefined || info.topic === wanted.topic) &&
      (wanted.subscriber === undefined || info.subscriber === wanted.subscriber),
  );
  // [spec] the web API MUST set Content-Type: application/ld+json
  if (wanted.subscriber !== undefined) {
    // [spec] a single subscription that does not exist MUST be answered 404
    const found = matching[0];
    if (found === undefined) throw new HttpError(404, 'no such subscription');
    sendJson(res, 200, { ...subscriptionDocument(found, true), lastEventID }, headers, 'application/ld+json');
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
      subscriptions: matching.map((info) => subscriptionDocument(info, false)),
    },
    headers,
    'application/ld+json',
  );
}
