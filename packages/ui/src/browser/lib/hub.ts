/**
 * The hub as the pages see it: same origin, Mercure endpoint at the
 * well-known path. Every page subscribes with the browser's own EventSource,
 * so what the demos show is what any web app gets.
 */

export const HUB_PATH = '/.well-known/mercure';

export interface SubscribeUrlOptions {
  /** `earliest` replays everything the hub keeps. Sent as the `lastEventID` query parameter. */
  lastEventId?: string | undefined;
  /** A subscriber JWT passed as the `authorization` query parameter (EventSource cannot send headers). */
  token?: string | undefined;
}

/** The subscribe URL for topic selectors, relative to the page's origin. */
export function subscribeUrl(topics: readonly string[], options: SubscribeUrlOptions = {}): string {
  const query = new URLSearchParams();
  for (const topic of topics) query.append('topic', topic);
  if (options.lastEventId) query.set('lastEventID', options.lastEventId);
  if (options.token) query.set('authorization', options.token);
  return `${HUB_PATH}?${query}`;
}

/** What the hub answered to a publish. */
export interface PublishResult {
  ok: boolean;
  status: number;
  /** The update's id on success, the hub's message otherwise. */
  body: string;
}

export interface PublishFields {
  topics: readonly string[];
  data: string;
  private?: boolean;
  id?: string;
  type?: string;
  retry?: string;
  token?: string;
}

/** Publishes with a form POST, as the Mercure spec defines it. */
export async function publish(fields: PublishFields): Promise<PublishResult> {
  const form = new URLSearchParams();
  for (const topic of fields.topics) form.append('topic', topic);
  form.set('data', fields.data);
  if (fields.private) form.set('private', 'on');
  if (fields.id) form.set('id', fields.id);
  if (fields.type) form.set('type', fields.type);
  if (fields.retry) form.set('retry', fields.retry);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (fields.token) headers.authorization = `Bearer ${fields.token}`;
  const response = await fetch(HUB_PATH, { method: 'POST', headers, body: form });
  return { ok: response.ok, status: response.status, body: (await response.text()).trim() };
}

/** POSTs JSON to one of the UI's own endpoints and returns the parsed answer, throwing the server's message on failure. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
