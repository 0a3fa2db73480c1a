/**
 * The demos' own endpoints: who the notifications page is (a subscribe
 * cookie for that user's topic), sending a notification, requesting a ride.
 */

import { HttpError } from '@spout/hub';
import type { Demos } from '../demos/index.ts';
import { DEMO_USERS, notificationTopic, PublishError, UnknownRecipientError } from '../demos/index.ts';
import { readJsonBody, sendJson, type UiRequest, type UiResponse } from './http-types.ts';

/** Signs a subscriber JWT whose `mercure.subscribe` claim is exactly `topics`. */
export type MintSubscriberToken = (topics: string[], expiresInSeconds: number) => Promise<string>;

export interface DemoApiOptions {
  demos?: Demos | undefined;
  mintSubscriberToken?: MintSubscriberToken | undefined;
  /** Path of the hub endpoint; the cookie is scoped to it. */
  hubPath: string;
  /** Adds `Secure` to the cookie; set it when serving over TLS. */
  secureCookie: boolean;
  /** Lifetime of the notification page's token and cookie. */
  sessionSeconds: number;
}

const text = (value: unknown, name: string, max: number): string => {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new HttpError(400, `"${name}" must be a string`);
  if (value.length > max) throw new HttpError(400, `"${name}" is longer than ${max} characters`);
  return value;
};

/** POST /ui/api/demos/notifications/session {user}: sets the mercureAuthorization cookie for that user. */
async function startSession(req: UiRequest, res: UiResponse, options: DemoApiOptions): Promise<void> {
  const body = await readJsonBody(req);
  const user = text(body.user, 'user', 64);
  if (!(DEMO_USERS as readonly string[]).includes(user))
    throw new HttpError(400, `unknown user "${user}": pick one of ${DEMO_USERS.join(', ')}`);
  if (!options.mintSubscriberToken)
    throw new HttpError(501, 'this hub cannot sign subscriber tokens (no HMAC key configured for the UI)');
  const topic = notificationTopic(user);
  const token = await options.mintSubscriberToken([topic], options.sessionSeconds);
  // [mercure] the cookie is named mercureAuthorization and scoped to the hub; HttpOnly keeps scripts away from it.
  const cookie = [
    `mercureAuthorization=${token}`,
    `Path=${options.hubPath}`,
    `Max-Age=${options.sessionSeconds}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(options.secureCookie ? ['Secure'] : []),
  ].join('; ');
  sendJson(res, 200, { user, topic }, { 'set-cookie': cookie });
}

/** POST /ui/api/demos/notifications {to, title, body}: publishes one notification through the demo. */
async function sendNotification(req: UiRequest, res: UiResponse, options: DemoApiOptions): Promise<void> {
  const demos = options.demos!;
  const body = await readJsonBody(req);
  const title = text(body.title, 'title', 200).trim();
  if (!title) throw new HttpError(400, 'a notification needs a "title"');
  try {
    const id = await demos.notifications.notify(
      text(body.to, 'to', 64),
      title,
      text(body.body, 'body', 2000),
    );
    sendJson(res, 200, { id });
  } catch (error) {
    if (error instanceof UnknownRecipientError) throw new HttpError(400, error.message);
    if (error instanceof PublishError) throw new HttpError(502, error.message);
    throw error;
  }
}

/** Routes /ui/api/demos/*; resolves false when the path is not one of them. */
export async function routeDemoApi(
  path: string,
  req: UiRequest,
  res: UiResponse,
  options: DemoApiOptions,
): Promise<boolean> {
  const routes: Record<string, () => Promise<void>> = {
    '/ui/api/demos/notifications/session': () => startSession(req, res, options),
    '/ui/api/demos/notifications': () => sendNotification(req, res, options),
    '/ui/api/demos/ride/request': async () => {
      options.demos!.ride.requestRide();
      res.writeHead(204, { 'cache-control': 'no-store' });
      res.end();
    },
  };
  const route = routes[path];
  // [security] the demo endpoints sign cookies with the hub's key: they exist only beside running
  // demos, which only a development hub starts; anywhere else they answer 404 like any unknown path.
  if (!route || options.demos === undefined) return false;
  if (req.method !== 'POST') throw new HttpError(405, `use POST for ${path}`, { allow: 'POST' });
  await route();
  return true;
}
