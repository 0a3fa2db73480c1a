/**
 * Every page of the web UI: where it is served, which bundle it loads, and
 * what the home page says about it. Shared by the build and the HTTP handler
 * so a page cannot be built without a route or routed without a build.
 */
export interface UiPage {
  /** Path the hub serves the page at. */
  path: string;
  /** esbuild entry under ui/src/pages, without extension. */
  entry: string;
  title: string;
  /** One line for the home page. */
  summary: string;
}

/** Prefix of every UI route; `/` redirects here. */
export const UI_PREFIX = '/ui';

export const UI_PAGES: readonly UiPage[] = [
  { path: '/ui/', entry: 'home', title: 'Spout hub', summary: 'What is running, and where to go.' },
  {
    path: '/ui/debugger',
    entry: 'debugger',
    title: 'Debugger',
    summary: 'Subscribe to topic selectors, watch events and reconnects live, publish updates.',
  },
  {
    path: '/ui/status',
    entry: 'status',
    title: 'Live status',
    summary: 'Subscribers, publishes and deliveries per second, store size, fed by SSE.',
  },
  {
    path: '/ui/demos/prices',
    entry: 'prices',
    title: 'Live prices',
    summary:
      'A ticker per symbol with sparklines; drop the connection and watch it resume with no missed tick.',
  },
  {
    path: '/ui/demos/notifications',
    entry: 'notifications',
    title: 'Notifications',
    summary: 'Private per-user notifications with an unread badge, authorized by a cookie.',
  },
  {
    path: '/ui/demos/ride/rider',
    entry: 'ride',
    title: 'Ride: rider',
    summary: 'One trip seen by the rider: matched, driver arriving, in trip, completed.',
  },
  {
    path: '/ui/demos/ride/driver',
    entry: 'ride',
    title: 'Ride: driver',
    summary: 'The same trip seen by the driver, live.',
  },
];

/** Distinct esbuild entries, in page order. */
export function uiEntries(): string[] {
  return [...new Set(UI_PAGES.map((page) => page.entry))];
}
