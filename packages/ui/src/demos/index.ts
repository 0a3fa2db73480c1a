/**
 * The three demo publishers the hub runs with `npm start`: live prices,
 * private notifications, and a ride's status. Each publishes to the hub over
 * plain Mercure HTTP with a publish token, like any other app would.
 */
import type { Demo } from './loop.ts';
import { createNotificationsDemo, type NotificationsDemo } from './notifications.ts';
import { createPricesDemo } from './prices.ts';
import { httpPublisher, type PublishFn } from './publisher.ts';
import { createRideDemo, type RideDemo } from './ride.ts';
import { DEMO_TOPIC_BASE } from './topics.ts';

export type { Demo } from './loop.ts';
export { createNotificationsDemo, type NotificationsDemo, UnknownRecipientError } from './notifications.ts';
export { createPricesDemo } from './prices.ts';
export { type DemoUpdate, httpPublisher, PublishError, type PublishFn } from './publisher.ts';
export { createRideDemo, type RideDemo } from './ride.ts';
export * from './topics.ts';

/** The topic selector a demo publish token must cover: every demo topic. */
export const DEMO_PUBLISH_SELECTOR = `${DEMO_TOPIC_BASE}/{+path}`;

export interface DemosOptions {
  /** The hub endpoint, e.g. `http://127.0.0.1:3000/.well-known/mercure`. */
  hubUrl: string | URL;
  /** JWT with `mercure.publish` covering DEMO_PUBLISH_SELECTOR (or `*`). */
  token: string;
  fetch?: typeof fetch | undefined;
  /** The hub's own PEM certificate, trusted for the demos' publishes (a self-signed TLS hub). */
  trustedCertificate?: string | undefined;
  /** Replaces HTTP publishing altogether (tests, in-process hubs). */
  publish?: PublishFn | undefined;
  onError?: ((demo: string, error: unknown) => void) | undefined;
  /** Step interval per demo in milliseconds; the defaults suit a person watching. */
  intervals?: { prices?: number; notifications?: number; ride?: number } | undefined;
}

/** The running demos, for the UI's endpoints, and one stop for all. */
export interface Demos {
  prices: Demo;
  notifications: NotificationsDemo;
  ride: RideDemo;
  stop(): Promise<void>;
}

/** Creates the three demos and starts them. */
export function startDemos(options: DemosOptions): Demos {
  const publish =
    options.publish ??
    httpPublisher({
      hubUrl: options.hubUrl,
      token: options.token,
      fetch: options.fetch,
      trustedCertificate: options.trustedCertificate,
    });
  const onError = (name: string) =>
    options.onError ? (error: unknown) => options.onError!(name, error) : undefined;
  const prices = createPricesDemo({
    publish,
    intervalMs: options.intervals?.prices,
    onError: onError('prices'),
  });
  const notifications = createNotificationsDemo({
    publish,
    intervalMs: options.intervals?.notifications,
    onError: onError('notifications'),
  });
  const ride = createRideDemo({ publish, intervalMs: options.intervals?.ride, onError: onError('ride') });
  for (const demo of [prices, notifications, ride]) demo.start();
  return {
    prices,
    notifications,
    ride,
    async stop() {
      await Promise.all([prices.stop(), notifications.stop(), ride.stop()]);
    },
  };
}
