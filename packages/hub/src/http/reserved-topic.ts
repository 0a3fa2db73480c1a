/**
 * The hub's reserved namespace: topics a publisher may not use, since the hub publishes there itself
 * (subscription events).
 */

/** Where the hub answers ([spec] the hub URL path). */
export const HUB_PATH = '/.well-known/mercure';

/** Any base will do: only the path of the resolved topic is compared, whatever the scheme or authority. */
const BASE = 'http://hub.invalid/.well-known/mercure';
const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Decodes the percent-encoded octets that stand for unreserved characters (RFC 3986, section 6.2.2.2). */
function decodeUnreserved(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (encoded, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : encoded;
  });
}

/**
 * True when a topic addresses the hub's reserved namespace: [spec] current: resolved against the
 * hub's URL, with dot-segments removed and unreserved percent-encodings decoded, its path is the hub
 * path or below it, whatever the scheme or authority. A topic that is no URL reference is not reserved.
 * (Draft-08 makes this a MUST as well; earlier drafts reserve the path without saying so.)
 */
export function isReservedTopic(topic: string): boolean {
  // Cheap test first: every spelling that resolves into the namespace contains one of these.
  if (!topic.includes('well-known') && !topic.includes('%')) return false;
  let path: string;
  try {
    // The URL parser removes dot-segments; decoding may reveal more (%2E%2E), so it resolves again.
    path = new URL(decodeUnreserved(new URL(topic, BASE).pathname), BASE).pathname;
  } catch {
    return false;
  }
  return path === HUB_PATH || path.startsWith(`${HUB_PATH}/`);
}
