import { createLoop, type Demo, type DemoTiming } from './loop.ts';
import type { PublishFn } from './publisher.ts';
import { DEMO_USERS, EVERYONE, type Notification, notificationTopic } from './topics.ts';

export interface NotificationsDemoOptions extends DemoTiming {
  publish: PublishFn;
  random?: (() => number) | undefined;
}

/** The notifications demo: a background sender plus `notify` for the page's form. */
export interface NotificationsDemo extends Demo {
  /**
   * Sends one notification: private to `to`'s topic, or public to every page
   * when `to` is `everyone`. Resolves with the hub's id.
   */
  notify(to: string, title: string, body?: string): Promise<string>;
}

const SAMPLES = [
  ['New comment', 'Sam replied to your post.'],
  ['Payment received', 'Your invoice #1042 was paid.'],
  ['Build passed', 'main is green again.'],
  ['Reminder', 'Stand-up starts in 5 minutes.'],
  ['Security', 'A new device signed in to your account.'],
] as const;

/** Thrown for a recipient that is neither a demo user nor `everyone`. */
export class UnknownRecipientError extends Error {
  constructor(to: string) {
    super(`unknown recipient "${to}": expected one of ${[...DEMO_USERS, EVERYONE].join(', ')}`);
    this.name = 'UnknownRecipientError';
  }
}

/**
 * Per-user private notifications. Every so often a random user gets a sample
 * notification, marked private so that only a subscriber whose token names
 * that user's topic receives it.
 */
export function createNotificationsDemo(options: NotificationsDemoOptions): NotificationsDemo {
  const random = options.random ?? Math.random;
  const notify = async (to: string, title: string, body = ''): Promise<string> => {
    if (to !== EVERYONE && !(DEMO_USERS as readonly string[]).includes(to))
      throw new UnknownRecipientError(to);
    const notification: Notification = { to, title, body, at: Date.now() };
    return options.publish({
      topics: [notificationTopic(to)],
      data: JSON.stringify(notification),
      private: to !== EVERYONE,
      type: 'notification',
    });
  };
  const step = async (): Promise<void> => {
    const user = DEMO_USERS[Math.floor(random() * DEMO_USERS.length)]!;
    const [title, body] = SAMPLES[Math.floor(random() * SAMPLES.length)]!;
    await notify(user, title, body);
  };
  // The first sample comes after one interval: a page opened at start is not greeted by a random note.
  const loop = createLoop('notifications', options.intervalMs ?? 12_000, step, options.onError, false);
  return Object.assign(loop, { notify });
}
