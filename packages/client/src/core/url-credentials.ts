/**
 * Credentials in a stream URL (`http://user:pass@host/`). Fetch's `Request` constructor refuses such a
 * URL outright, so the loop sends the URL without them and the credentials as a Basic
 * `Authorization` header, from the first request on.
 *
 * Why at once, and not after a 401 challenge as Fetch's "authentication fetch" would: a challenge costs a
 * round trip on every reconnect, Node has no authentication cache to remember the answer, and the
 * credentials were written into this very URL to be used against it. Fetch removes `Authorization`
 * when a redirect leaves the origin, so they never follow the stream elsewhere.
 */

/** A URL split into the one to request and the `Authorization` value its credentials make, if any. */
export interface SplitUrl {
  url: URL;
  authorization: string | undefined;
}

/** Removes the username and password from `url` (a copy) and turns them into a Basic authorization value. */
export function splitCredentials(url: URL): SplitUrl {
  if (url.username === '' && url.password === '') return { url, authorization: undefined };
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  // [url] username and password are stored percent-encoded; the header carries their bytes.
  const bytes = [...percentDecode(url.username), 0x3a, ...percentDecode(url.password)];
  return { url: bare, authorization: `Basic ${base64(bytes)}` };
}

/** [url] percent-decode: %XX becomes the byte XX; everything else is the UTF-8 of the character. */
function percentDecode(text: string): number[] {
  const encoded = new TextEncoder().encode(text);
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    const byte = encoded[i] as number;
    const hex = byte === 0x25 ? String.fromCharCode(encoded[i + 1] ?? 0, encoded[i + 2] ?? 0) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(byte);
    }
  }
  return bytes;
}

function base64(bytes: number[]): string {
  return btoa(String.fromCharCode(...bytes));
}
