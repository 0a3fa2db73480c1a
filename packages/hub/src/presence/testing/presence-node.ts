/**
 * Hub nodes with presence on Redis for tests, and what their subscriptions API and events say.
 */

import { mintToken } from '../../auth/index.ts';
import { LocalDirectory } from '../../core/directory.ts';
import { DEFAULT_LIMITS } from '../../core/limits.ts';
import { createRedisStore } from '../../store/index.ts';
import { freshPrefix } from '../../store/testing/redis-fixture.ts';
import { openStream, type TestStream } from '../../testing/sse-reader.ts';
import { startTestHub, subscribeUrlOf, TEST_SECRET, type TestHub } from '../../testing/test-hub.ts';
import { createRedisDirectory, type RedisDirectory } from '../redis-directory.ts';

/** Every subscriptions API path and subscription event topic. */
export const SUBSCRIPTIONS_SELECTOR = '/.well-known/mercure/subscriptions{/topic}{/subscriber}';

/** A test hub whose directory spans the nodes sharing its Redis key prefix. */
export interface PresenceNode extends TestHub {
  directory: RedisDirectory;
}

/** Starts a node (anonymous subscribers, subscription events on) on Redis at `url` with `keyPrefix`. */
export async function startPresenceNode(
  url: string,
  keyPrefix: string,
  ttlMs: number,
): Promise<PresenceNode> {
  const store = await createRedisStore({ url, keyPrefix });
  const directory = await createRedisDirectory({
    redis: { url, keyPrefix },
    admission: new LocalDirectory(DEFAULT_LIMITS),
    ttlMs,
    events: store,
  });
  const hub = await startTestHub({ anonymous: true, subscriptions: true, store, directory });
  return { ...hub, directory };
}

/** Runs `test` on nodes A and B sharing a fresh key prefix (with these TTLs), and closes both after it. */
export async function withTwoNodes(
  url: string,
  [ttlA, ttlB]: [number, number],
  test: (nodeA: PresenceNode, nodeB: PresenceNode) => Promise<void>,
): Promise<void> {
  const keyPrefix = freshPrefix();
  const nodeA = await startPresenceNode(url, keyPrefix, ttlA);
  const nodeB = await startPresenceNode(url, keyPrefix, ttlB);
  try {
    await test(nodeA, nodeB);
  } finally {
    await nodeA.close();
    await nodeB.close();
  }
}

/** A token for the subscriptions API and subscription events, signed with TEST_SECRET. */
export function watcherToken(): Promise<string> {
  return mintToken({ secret: TEST_SECRET, subscribe: [SUBSCRIPTIONS_SELECTOR] });
}

/** One subscription as the API lists it. */
export interface ListedSubscription {
  topic: string;
  subscriber: string;
  active: boolean;
}

/** What the subscriptions API of the hub at `url` (any URL of its origin) lists (it must answer 200). */
export async function listedSubscriptions(url: string): Promise<ListedSubscription[]> {
  const res = await fetch(new URL('/.well-known/mercure/subscriptions', url), {
    headers: { authorization: `Bearer ${await watcherToken()}` },
    // Bounded: a poll asks again rather than wait on a connection that a killed process left unanswered.
    signal: AbortSignal.timeout(5000),
  });
  if (res.status !== 200)
    throw new Error(`the subscriptions API answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { subscriptions: ListedSubscription[] };
  return body.subscriptions;
}

/** The subscribers the hub at `url` (any URL of its origin) lists for `topic`. */
export async function subscribersOf(url: string, topic: string): Promise<string[]> {
  const listed = await listedSubscriptions(url);
  return listed.filter((info) => info.topic === topic).map((info) => info.subscriber);
}

/** Opens the subscription events of the hub at `hubUrl`, from the start of its history. */
export async function watchSubscriptionEvents(hubUrl: string): Promise<TestStream> {
  return openStream(subscribeUrlOf(hubUrl, [SUBSCRIPTIONS_SELECTOR], { lastEventID: 'earliest' }), {
    authorization: `Bearer ${await watcherToken()}`,
  });
}

/** The subscription event documents a watcher received so far. */
export function eventDocuments(watcher: TestStream): ListedSubscription[] {
  return watcher.events.map((event) => JSON.parse(event.data) as ListedSubscription);
}
