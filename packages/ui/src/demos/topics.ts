/**
 * Topics and payloads of the three demos. Pure data shared by the publishers
 * (run in the hub) and the pages (bundled for the browser), so both sides
 * agree on names and shapes.
 */

/** Base IRI of every demo topic. Mercure topics are IRIs; this one is never fetched. */
export const DEMO_TOPIC_BASE = 'https://demo.spout.dev';

export const PRICE_SYMBOLS = ['AAPL', 'META', 'GOOGL', 'MSFT', 'AMZN', 'NVDA'] as const;

/** The topic one symbol's ticks are published on. */
export function priceTopic(symbol: string): string {
  return `${DEMO_TOPIC_BASE}/prices/${encodeURIComponent(symbol)}`;
}
/** RFC 6570 template matching every symbol's topic: one subscription for the whole board. */
export const PRICE_TOPIC_TEMPLATE = `${DEMO_TOPIC_BASE}/prices/{symbol}`;

/** One tick; `seq` increases by one per symbol so a page can prove it missed nothing. */
export interface PriceTick {
  symbol: string;
  seq: number;
  price: number;
  /** Change since the ticker's opening price, in percent. */
  changePct: number;
  /** Milliseconds since the epoch. */
  at: number;
}

export const DEMO_USERS = ['alice', 'bob', 'carol'] as const;
/** Recipient name of a public announcement: every user's page shows it. */
export const EVERYONE = 'everyone';

/** A user's notification topic. Private updates on it reach only that user. */
export function notificationTopic(user: string): string {
  return `${DEMO_TOPIC_BASE}/users/${encodeURIComponent(user)}/notifications`;
}
/** Template the notifications page subscribes to: every user's topic, so the hub's private filter is what keeps others' notifications out. */
export const NOTIFICATION_TOPIC_TEMPLATE = `${DEMO_TOPIC_BASE}/users/{user}/notifications`;

export interface Notification {
  to: string;
  title: string;
  body: string;
  at: number;
}

/** The one trip both ride pages follow. */
export const RIDE_TOPIC = `${DEMO_TOPIC_BASE}/rides/demo-trip`;

export const RIDE_STATES = ['requested', 'matched', 'arriving', 'in_trip', 'completed'] as const;
export type RideState = (typeof RIDE_STATES)[number];

/** A point on the demo map, both coordinates in 0..100. */
export interface MapPoint {
  x: number;
  y: number;
}

/** Every ride event carries the whole trip, so a page that joins late needs only the latest one. */
export interface RideUpdate {
  tripId: string;
  state: RideState;
  rider: string;
  driver?: { name: string; car: string; plate: string } | undefined;
  pickup: MapPoint;
  dropoff: MapPoint;
  /** The car's position; absent before a driver is matched. */
  car?: MapPoint | undefined;
  /** Seconds until the next milestone (pickup or dropoff), when moving. */
  etaSeconds?: number | undefined;
  /** Step counter within the trip, strictly increasing. */
  step: number;
  at: number;
}
