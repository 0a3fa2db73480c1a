/**
 * GET /.well-known/mercure: a subscription ([spec] Subscription; Reconnection).
 */

import { decodeHeaderUtf8 } from '@spout/server';
import { ANONYMOUS } from '../auth/index.ts';
import type { HubContext } from '../hub/context.ts';
import { replayAfter } from '../hub/replay.ts';
import { Subscriber } from '../hub/subscriber.ts';
import type { UpdateStore } from '../store/types.ts';
import { parseSelector, type TopicSelector } from '../topics/index.ts';
import { authenticate } from './authenticate.ts';
import type { AnyRequest } from './body.ts';
import { clientAddress } from './client-address.ts';
import { type AnyResponse, HttpError, unauthorized } from './errors.ts';
import { CONTROL } from './publish-input.ts';

const REPLAY_PAGE = 500;
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
 * parameter (`lastEventID`, or `Last-Event-ID` as draft-07 spells it). An empty value means none.
 */
export function requestedLastEventId(req: AnyRequest, query: URLSearchParams): string | undefined {
  const header = req.headers['last-event-id'];
  if (typeof header === 'string' && header !== '') return decodeHeaderUtf8(header);
  const fromQuery = query.get('lastEventID') ?? query.get('Last-Event-ID');
  return fromQuery === null || fromQuery === '' ? undefined : fromQuery;
}

/** Where replay starts, and the Last-Event-ID response header that says so. */
export interface ReplayStart {
  after: number;
  header: string;
}

/**
 * [spec] the Last-Event-ID response header is the id of the event preceding the first one
 * sent, or `earliest` when there is none: history empty, `earliest` asked, or an unknown id.
 * An unknown id (never seen, or trimmed) replays all that is kept: the client gets what
 * the hub has and, from `earliest`, learns that it may have missed updates.
 */
export async function resolveReplayStart(store: UpdateStore, lastEventId: string): Promise<ReplayStart> {
  if (lastEventId === 'earliest') return { after: 0, header: 'earliest' };
  const position = await store.positionOf(lastEventId);
  if (position === undefined) return { after: 0, header: 'earliest' };
  return { after: position, header: lastEventId };
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
  const selectors = readSelectors(query, ctx.limits.maxSelectors, ctx.limits.maxSelectorLength);
  const identity = await authenticate(req, query, ctx.subscriberAuth, ctx.trustProxy);
  if (identity === undefined && !ctx.anonymous) {
    throw unauthorized('subscribing requires a token: this hub does not allow anonymous subscribers', false);
  }
  const address = clientAddress(req, ctx.trustProxy);
  checkCapacity(ctx, address);
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
    const lastEventId = requestedLastEventId(req, query);
    start = lastEventId === undefined ? undefined : await resolveReplayStart(ctx.store, lastEventId);
  } catch (error) {
    ctx.dispatcher.remove(subscriber);
    throw error;
  }
  // Closed while history was being located (shutdown, or live updates over the cap).
  if (!ctx.dispatcher.has(subscriber)) {
    throw new HttpError(503, 'the subscription was closed before it started; retry', {
      'retry-after': RETRY_AFTER_SECONDS,
    });
  }
  const headers = ctx.cors.headers(req.headers.origin);
  // [spec] when the request has a Last-Event-ID, the hub MUST set a Last-Event-ID response header
  if (start !== undefined) headers['last-event-id'] = start.header;
  // [spec] success responses to a request authorized by query parameter SHOULD be Cache-Control: private
  if (identity?.source === 'query') headers['cache-control'] = 'private, no-cache, no-transform';
  subscriber.attach(ctx.openStream(req, res, headers));
  ctx.watchSubscriber(subscriber, identity?.expiresAt);
  if (start !== undefined) {
    ctx.metrics.replays.inc();
    try {
      const sent = await replayAfter(ctx.store, subscriber, start.after, {
        pageSize: REPLAY_PAGE,
        highWaterBytes: ctx.limits.subscriberQueueBytes / 2,
      });
      ctx.metrics.replayedUpdates.inc(sent);
    } catch (error) {
      // The stream has started: the client reconnects with the last id it received.
      // At shutdown the store closes under a running replay: expected, not an error.
      if (!ctx.closing)
        ctx.logger.error(
          { err: error, subscriber: subscriber.id },
          'replay failed; closing the subscription',
        );
      ctx.closeSubscriber(subscriber, 'error');
      return;
    }
  }
  if (subscriber.overflowed) ctx.closeSubscriber(subscriber, 'overflow');
  else subscriber.goLive();
}
