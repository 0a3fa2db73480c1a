/**
 * GET /.well-known/mercure: a subscription ([spec] Subscription; Reconnection).
 */
import type { ServerResponse } from 'node:http';

import { decodeHeaderUtf8 } from '@spout/server';
import { ANONYMOUS } from '../auth/index.ts';
import { HubClosingError, HubFullError, SubscriptionClosedError } from '../core/errors.ts';
import type { ReplayStart } from '../core/replay.ts';
import { parseSelector, type TopicSelector } from '../topics/index.ts';
import { authenticate, type Identity } from './authenticate.ts';
import type { AnyRequest } from './body.ts';
import { clientAddress } from './client-address.ts';
import type { HubContext } from './context.ts';
import { type AnyResponse, HttpError, unauthorized } from './errors.ts';
import { percentEncodingIsUtf8 } from './form-utf8.ts';
import { requestHubUrl } from './hub-url.ts';
import { readMatchers } from './match-params.ts';
import { type Protocol, subscribeProtocol } from './protocol.ts';
import { storeRefusal } from './store-refusal.ts';
import { CONTROL } from './update-draft.ts';

/** Seconds a refused subscriber is told to wait (429, 503). */
const RETRY_AFTER_SECONDS = '5';

/** Reads the `topic` selectors, enforcing the limits ([spec] the hub MAY apply a limit). */
export function readSelectors(
  query: URLSearchParams,
  maxSelectors: number,
  maxLength: number,
): readonly TopicSelector[] {
  const raw = query.getAll('topic');
  // [spec] the subscriber specifies topics with one or several `topic` query parameters
  if (raw.length === 0)
    throw new HttpError(400, 'missing "topic" query parameter: give at least one selector');
  if (raw.length > maxSelectors) {
    throw new HttpError(400, `more than ${maxSelectors} "topic" selectors (setting maxSelectors)`);
  }
  for (const selector of raw) {
    // [draft-08] selector values MUST NOT contain control characters (400)
    if (CONTROL.test(selector)) throw new HttpError(400, 'a "topic" selector contains a control character');
    if (selector.length > maxLength) {
      throw new HttpError(
        400,
        `a "topic" selector is longer than ${maxLength} characters (setting maxSelectorLength)`,
      );
    }
  }
  // Identical selectors would only deliver the same update twice over one subscription.
  const unique = [...new Set(raw)];
  const key = unique.join('\n');
  let selectors = selectorLists.get(key);
  if (selectors === undefined) {
    selectors = Object.freeze(unique.map(parseSelector));
    if (selectorLists.size >= SELECTOR_LISTS_KEPT)
      selectorLists.delete(selectorLists.keys().next().value as string);
    selectorLists.set(key, selectors);
  }
  return selectors;
}

/** Subscribers asking for the same selectors share one list: thousands of tabs often do. */
const selectorLists = new Map<string, readonly TopicSelector[]>();
const SELECTOR_LISTS_KEPT = 10_000;

/**
 * The requested Last-Event-ID: [spec] the header MUST take precedence over the query
 * parameter (`last_event_id` in the current protocol, `lastEventID` in the classic one, or
 * `Last-Event-ID` as draft-07 spells it). An empty value means none.
 */
export function requestedLastEventId(req: AnyRequest, query: URLSearchParams): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') return decodeHeaderUtf8(header);
  // [spec] current: the hub MUST also accept the last event ID in a query parameter named last_event_id
  const fromQuery = query.get('last_event_id') ?? query.get('lastEventID') ?? query.get('Last-Event-ID');
  return fromQuery === null || fromQuery === '' ? undefined : fromQuery;
}

/** The selectors of a request, read by the protocol it announces (see protocol.ts). */
function readRequestSelectors(
  ctx: HubContext,
  req: AnyRequest,
  query: URLSearchParams,
  protocol: Protocol,
): readonly TopicSelector[] {
  const { maxSelectors, maxSelectorLength } = ctx.core.limits;
  if (protocol === 'classic') return readSelectors(query, maxSelectors, maxSelectorLength);
  // [spec] matcher values MUST be valid UTF-8, else 400: URLSearchParams would hide the fault
  if (!percentEncodingIsUtf8(req.url ?? '')) throw new HttpError(400, 'the query string is not valid UTF-8');
  const base = requestHubUrl(req, ctx.trustProxy);
  if (base === undefined)
    throw new HttpError(400, 'the request has no Host: relative URL patterns cannot be resolved');
  return readMatchers(query, { maxSelectors, maxSelectorLength }, base);
}

/** The HTTP answer to the core's refusal of a subscription; undefined for other errors. */
function subscribeRefusal(error: unknown): HttpError | undefined {
  if (error instanceof HubFullError)
    return new HttpError(429, error.message, { 'retry-after': RETRY_AFTER_SECONDS });
  if (error instanceof HubClosingError || error instanceof SubscriptionClosedError)
    return new HttpError(503, error.message, { 'retry-after': RETRY_AFTER_SECONDS });
  return storeRefusal(error);
}

/** Serves one subscription until the client leaves, the token expires or the hub stops. */
/** What a subscription request asks for, once its selectors and token are checked (400, 401). */
async function readSubscription(ctx: HubContext, req: AnyRequest, query: URLSearchParams) {
  const protocol = subscribeProtocol(query, ctx.protocol);
  const selectors = readRequestSelectors(ctx, req, query, protocol);
  const identity = await authenticate(req, query, ctx.subscriberAuth, ctx.trustProxy, protocol);
  if (identity === undefined && !ctx.anonymous) {
    throw unauthorized('subscribing requires a token: this hub does not allow anonymous subscribers', false);
  }
  const request = {
    selectors,
    claims: identity?.claims ?? ANONYMOUS,
    address: clientAddress(req, ctx.trustProxy),
    lastEventId: requestedLastEventId(req, query),
    expiresAt: identity?.expiresAt,
  };
  return { request, identity };
}

export async function handleSubscribe(
  ctx: HubContext,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
): Promise<void> {
  const { request, identity } = await readSubscription(ctx, req, query);
  try {
    await ctx.core.subscribe(request, (start) =>
      ctx.openStream(req, res, responseHeaders(ctx, req, identity, start)),
    );
  } catch (error) {
    throw subscribeRefusal(error) ?? error;
  }
}

/**
 * HEAD on the hub: [RFC 9110 9.3.2] the answer GET would give, without its content. The request is
 * checked as a subscription is (selectors, token: 400, 401), then answered with the stream's headers;
 * nothing is registered, no history read, no stream opened. Lets a proxy or a monitor probe the hub.
 */
export async function handleSubscribeHead(
  ctx: HubContext,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
): Promise<void> {
  const { identity } = await readSubscription(ctx, req, query);
  (res as ServerResponse).writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    ...responseHeaders(ctx, req, identity, undefined),
  });
  res.end();
}

function responseHeaders(
  ctx: HubContext,
  req: AnyRequest,
  identity: Identity | undefined,
  start: ReplayStart | undefined,
): Record<string, string> {
  const headers = ctx.cors.headers(req.headers.origin);
  // [spec] when the request has a Last-Event-ID, the hub MUST set a Last-Event-ID response header
  // (classic), a Mercure-Last-Event-ID one (current); both are sent, so either client finds its own.
  // (ids are printable Latin-1, see publish-input.ts, so every id fits a header as it is)
  if (start !== undefined) {
    headers['last-event-id'] = start.header;
    headers['mercure-last-event-id'] = start.header;
  }
  // [spec] success responses to a request authorized by query parameter SHOULD be Cache-Control: private
  if (identity?.source === 'query') headers['cache-control'] = 'private, no-cache, no-transform';
  return headers;
}
