/**
 * GET /.well-known/mercure: a subscription ([spec] Subscription; Reconnection).
 */

import { decodeHeaderUtf8 } from '@spout/server';
import { ANONYMOUS } from '../auth/index.ts';
import type { HubContext } from '../hub/context.ts';
import { locateReplay, ReplayStalledError, type ReplayStart, replayAfter } from '../hub/replay.ts';
import { Subscriber } from '../hub/subscriber.ts';
import { parseSelector, type TopicSelector } from '../topics/index.ts';
import { authenticate, type Identity } from './authenticate.ts';
import type { AnyRequest } from './body.ts';
import { clientAddress } from './client-address.ts';
import { type AnyResponse, HttpError, unauthorized } from './errors.ts';
import { percentEncodingIsUtf8 } from './form-utf8.ts';
import { requestHubUrl } from './hub-url.ts';
import { readMatchers } from './match-params.ts';
import { type Protocol, subscribeProtocol } from './protocol.ts';
import { CONTROL } from './publish-input.ts';
import { storeRefusal } from './store-refusal.ts';

/** Updates read from the store at once during a replay. */
const REPLAY_PAGE = 200;
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
  const { maxSelectors, maxSelectorLength } = ctx.limits;
  if (protocol === 'classic') return readSelectors(query, maxSelectors, maxSelectorLength);
  // [spec] matcher values MUST be valid UTF-8, else 400: URLSearchParams would hide the fault
  if (!percentEncodingIsUtf8(req.url ?? '')) throw new HttpError(400, 'the query string is not valid UTF-8');
  const base = requestHubUrl(req, ctx.trustProxy);
  if (base === undefined)
    throw new HttpError(400, 'the request has no Host: relative URL patterns cannot be resolved');
  return readMatchers(query, { maxSelectors, maxSelectorLength }, base);
}

function checkCapacity(ctx: HubContext, address: string): void {
  if (ctx.closing)
    throw new HttpError(503, 'the hub is shutting down', { 'retry-after': RETRY_AFTER_SECONDS });
  if (ctx.dispatcher.size >= ctx.limits.maxSubscribers) {
    throw new HttpError(
      429,
      `the hub has ${ctx.limits.maxSubscribers} subscribers (setting maxSubscribers)`,
      {
        'retry-after': RETRY_AFTER_SECONDS,
      },
    );
  }
  if (ctx.dispatcher.countFrom(address) >= ctx.limits.maxSubscribersPerAddress) {
    const limit = ctx.limits.maxSubscribersPerAddress;
    throw new HttpError(
      429,
      `${address} has ${limit} subscriptions open (setting maxSubscribersPerAddress)`,
      {
        'retry-after': RETRY_AFTER_SECONDS,
      },
    );
  }
}

/** Serves one subscription until the client leaves, the token expires or the hub stops. */
export async function handleSubscribe(
  ctx: HubContext,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
): Promise<void> {
  const protocol = subscribeProtocol(query, ctx.protocol);
  const selectors = readRequestSelectors(ctx, req, query, protocol);
  const identity = await authenticate(req, query, ctx.subscriberAuth, ctx.trustProxy, protocol);
  if (identity === undefined && !ctx.anonymous) {
    throw unauthorized('subscribing requires a token: this hub does not allow anonymous subscribers', false);
  }
  const address = clientAddress(req, ctx.trustProxy);
  checkCapacity(ctx, address);
  const lastEventId = requestedLastEventId(req, query);
  const subscriber = new Subscriber({
    selectors,
    claims: identity?.claims ?? ANONYMOUS,
    address,
    maxPendingBytes: ctx.limits.subscriberQueueBytes,
  });
  // [invariant] registered for live updates BEFORE history is read: nothing published meanwhile is lost.
  ctx.dispatcher.add(subscriber);
  let start: ReplayStart | undefined;
  try {
    start =
      lastEventId === undefined
        ? undefined
        : await locateReplay(ctx.store, lastEventId, REPLAY_PAGE, ctx.unknownLastEventId);
    // Closed while history was being located (shutdown, or live updates over the cap).
    if (!ctx.dispatcher.has(subscriber)) {
      throw new HttpError(503, 'the subscription was closed before it started; retry', {
        'retry-after': RETRY_AFTER_SECONDS,
      });
    }
    subscriber.attach(ctx.openStream(req, res, responseHeaders(ctx, req, identity, start)));
  } catch (error) {
    // [invariant] a subscription that never streams is not counted: it holds no place under the limits.
    ctx.dispatcher.remove(subscriber);
    throw storeRefusal(error) ?? error;
  }
  ctx.watchSubscriber(subscriber, identity?.expiresAt);
  if (start !== undefined && !(await replay(ctx, subscriber, start))) return;
  if (subscriber.overflowed) ctx.closeSubscriber(subscriber, 'overflow');
  else subscriber.goLive();
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

/** Replays history to a streaming subscriber; false when it was closed instead (and why is handled). */
async function replay(ctx: HubContext, subscriber: Subscriber, start: ReplayStart): Promise<boolean> {
  ctx.metrics.replays.inc();
  try {
    const sent = await replayAfter(ctx.store, subscriber, start, {
      pageSize: REPLAY_PAGE,
      highWaterBytes: ctx.limits.subscriberQueueBytes / 2,
      stallMs: ctx.limits.replayStallTimeout,
    });
    ctx.metrics.replayedUpdates.inc(sent);
    return true;
  } catch (error) {
    if (error instanceof ReplayStalledError) {
      // [policy] a subscriber that does not read its replay is a slow consumer, as it would be live.
      ctx.logger.debug({ subscriber: subscriber.id }, error.message);
      ctx.closeSubscriber(subscriber, 'overflow');
      return false;
    }
    // The stream has started: the client reconnects with the last id it received.
    // At shutdown the store closes under a running replay: expected, not an error.
    if (!ctx.closing)
      ctx.logger.warn({ err: error, subscriber: subscriber.id }, 'replay failed; closing the subscription');
    ctx.closeSubscriber(subscriber, 'error');
    return false;
  }
}
