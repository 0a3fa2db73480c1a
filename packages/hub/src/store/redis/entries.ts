import { toStored } from '../stored.ts';
import type { StoredUpdate, Update } from '../types.ts';

/** The stream payload of an update: everything but the id, which has its own field. */
export function encodePayload(update: Update): string {
  return JSON.stringify({
    topics: update.topics,
    data: update.data,
    private: update.private,
    type: update.type,
    retry: update.retry,
  });
}

/** One stream entry as Redis returns it (RESP2): [`<position>-0`, ['i', id, 't', ms, 'u', payload]]. */
export function decodeEntry(entry: unknown): StoredUpdate {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) {
    throw new TypeError(`unexpected Redis stream entry: ${JSON.stringify(entry)}`);
  }
  const [streamId, fields] = entry as [string, string[]];
  // The parsed payload is this function's own object: it takes the id in place of a copy.
  const update = JSON.parse(fields[5] ?? '') as Update;
  update.id = String(fields[1]);
  return toStored(update, Number.parseInt(streamId, 10), Number(fields[3]));
}

/** The entries of an XRANGE reply. */
export function decodeEntries(reply: unknown): StoredUpdate[] {
  if (!Array.isArray(reply)) throw new TypeError(`unexpected Redis XRANGE reply: ${JSON.stringify(reply)}`);
  return reply.map(decodeEntry);
}

/** The raw entries of an XREAD reply on one stream ([[key, entries]] or null on timeout), each to decode. */
export function readReplyEntries(reply: unknown): unknown[] {
  if (reply === null) return [];
  const entries = Array.isArray(reply) && Array.isArray(reply[0]) ? (reply[0] as unknown[])[1] : undefined;
  if (!Array.isArray(entries)) throw new TypeError(`unexpected Redis XREAD reply: ${JSON.stringify(reply)}`);
  return entries;
}

/** The position in a raw entry's stream id, or NaN. */
export function entryPosition(entry: unknown): number {
  return Array.isArray(entry) && typeof entry[0] === 'string' ? Number.parseInt(entry[0], 10) : Number.NaN;
}

/** The update id in a raw entry (field `i`), or '' when it has none. */
export function entryId(entry: unknown): string {
  const fields = Array.isArray(entry) ? entry[1] : undefined;
  return Array.isArray(fields) && fields[0] === 'i' ? String(fields[1]) : '';
}
