/**
 * Percent-encoded UTF-8 in `application/x-www-form-urlencoded` text: `URLSearchParams` turns invalid
 * sequences into U+FFFD silently, so they are checked before it reads them.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** A run of percent-encoded octets: a multi-byte character is always encoded in one run. */
const ENCODED_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

/** True when every percent-encoded run of `text` decodes as UTF-8 (a stray `%` is left to the parser). */
export function percentEncodingIsUtf8(text: string): boolean {
  if (!text.includes('%')) return true;
  for (const [run] of text.matchAll(ENCODED_RUN)) {
    try {
      UTF8.decode(Buffer.from(run.replaceAll('%', ''), 'hex'));
    } catch {
      return false;
    }
  }
  return true;
}
