/**
 * Starts a hub on a free loopback port for a test, with a known HMAC secret.
 */
import { mintToken } from '../auth/index.ts';
import { createHub } from '../hub/hub.ts';
import type { HubOptions } from '../hub/options.ts';
import { type ListenOptions, listen, type RunningHub } from '../server.ts';
import { createMemoryStore } from '../store/index.ts';

/** The secret every test hub verifies tokens with. */
export const TEST_SECRET = 'spout-test-secret-0123456789abcdef0123456789abcdef';

/** What a test hub is started with: the hub's options, over the test defaults. */
export type TestHubOptions = Partial<HubOptions>;

/** A running test hub and helpers to talk to it. */
export interface TestHub extends RunningHub {
  /** Mints a token with these `mercure` claims, signed with TEST_SECRET. */
  token(claims: {
    publish?: string[];
    subscribe?: string[];
    payload?: unknown;
    expiresInSeconds?: number;
  }): Promise<string>;
  /** POSTs a form-encoded update; returns the response. */
  publish(fields: [string, string][] | Record<string, string>, token?: string): Promise<Response>;
  /** The hub URL with these `topic` selectors and extra query parameters. */
  subscribeUrl(topics: string[], extra?: Record<string, string>): string;
  /** The hub URL with these query parameters, in order (e.g. the current protocol's `match`). */
  urlWith(params: [string, string][]): string;
}

/** POSTs a form-encoded update to the hub at `hubUrl`; returns the response. */
export function publishForm(
  hubUrl: string,
  fields: [string, string][] | Record<string, string>,
  token?: string,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  const body = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields)).toString();
  return fetch(hubUrl, { method: 'POST', headers, body });
}

/** POSTs `body` as JSON (one update object, or an array: a batch) to the hub at `hubUrl`. */
export function publishJson(hubUrl: string, body: unknown, token: string): Promise<Response> {
  return fetch(hubUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** `hubUrl` with these `topic` selectors and extra query parameters. */
export function subscribeUrlOf(hubUrl: string, topics: string[], extra: Record<string, string> = {}): string {
  const topicParams = topics.map((topic): [string, string] => ['topic', topic]);
  return urlWithParams(hubUrl, [...topicParams, ...Object.entries(extra)]);
}

/** `hubUrl` with these query parameters, in order. */
export function urlWithParams(hubUrl: string, params: readonly [string, string][]): string {
  const url = new URL(hubUrl);
  for (const [name, value] of params) url.searchParams.append(name, value);
  return url.toString();
}

/** Starts a hub; options override the test defaults (memory store, TEST_SECRET, port 0). */
export async function startTestHub(
  options: TestHubOptions = {},
  listenOptions: ListenOptions = {},
): Promise<TestHub> {
  const hub = await createHub({
    store: createMemoryStore(),
    publisherKeys: [{ key: TEST_SECRET }],
    ...options,
  });
  const running = await listen(hub, { port: 0, shutdownTimeoutMs: 1000, ...listenOptions });
  return {
    ...running,
    close: running.close,
    token: (claims) => mintToken({ secret: TEST_SECRET, ...claims }),
    publish: (fields, token) => publishForm(running.hubUrl, fields, token),
    subscribeUrl: (topics, extra) => subscribeUrlOf(running.hubUrl, topics, extra),
    urlWith: (params) => urlWithParams(running.hubUrl, params),
  };
}
