/**
 * Turns a publish request body into updates: the form encoding of the spec, and
 * JSON (one object, or an array for a batch) as an extension.
 */
import { HttpError } from './errors.ts';
import { percentEncodingIsUtf8 } from './form-utf8.ts';
import { checkCurrentDraft } from './publish-current.ts';
import { CONTROL, type PublishLimits, refusal, type UpdateDraft } from './update-draft.ts';

export type { PublishLimits, UpdateDraft } from './update-draft.ts';

const LINE_BREAK = /[\r\n]/;
/**
 * [policy] an id travels back in the Last-Event-ID header, so that every accepted id can be resumed
 * from: no control character, nothing above U+00FF (Node can write no other header text), no space at
 * either end (HTTP trims it). Latin-1 letters go out as their UTF-8 bytes, as browsers send them.
 */
const HEADER_SAFE_ID = /^[\x21-\x7e\xa1-\xff](?:[\x20-\x7e\xa0-\xff]*[\x21-\x7e\xa1-\xff])?$/;
const ID_RULE =
  '"id" must be printable characters up to U+00FF (Latin-1), without a space at either end, since it comes back in the Last-Event-ID header: percent-encode other characters as in a URI (RFC 3987, section 3.1)';
/** In `u` mode surrogate pairs are one code point, so this finds only unpaired halves. */
const LONE_SURROGATE = /\p{Cs}/u;

function checkDraft(draft: UpdateDraft, limits: PublishLimits, index: number | undefined): UpdateDraft {
  if (limits.protocol === 'current') checkCurrentDraft(draft, limits, index);
  if (draft.topics.length === 0) throw refusal(400, 'missing "topic": give at least one topic', index);
  if (draft.topics.length > limits.maxTopicsPerUpdate) {
    throw refusal(400, `more than ${limits.maxTopicsPerUpdate} topics (setting maxTopicsPerUpdate)`, index);
  }
  if (draft.topics.some((topic) => topic === '')) throw refusal(400, 'a "topic" is empty', index);
  // [draft-08] topics MUST NOT contain C0, DEL or C1 control characters
  if (draft.topics.some((topic) => CONTROL.test(topic))) {
    throw refusal(400, 'a "topic" contains a control character (U+0000-U+001F, U+007F-U+009F)', index);
  }
  const id = draft.id;
  if (id !== undefined) {
    // [spec] the provided id MUST NOT start with the # character
    if (id.startsWith('#')) throw refusal(400, '"id" must not start with "#" (reserved for the hub)', index);
    if (id === '' || id === 'earliest') throw refusal(400, `"id" must not be ${JSON.stringify(id)}`, index);
    // The id comes back in the Last-Event-ID header, which servers and proxies cap at a few KiB.
    if (id.length > limits.maxIdLength) {
      throw refusal(400, `"id" is longer than ${limits.maxIdLength} characters (setting maxIdLength)`, index);
    }
    // Also keeps CR, LF and NUL out of the SSE id field.
    if (!HEADER_SAFE_ID.test(id)) throw refusal(400, ID_RULE, index);
  }
  if (draft.type !== undefined) {
    if (LINE_BREAK.test(draft.type)) {
      throw refusal(400, '"type" must not contain CR or LF (it becomes the SSE event field)', index);
    }
    if (LONE_SURROGATE.test(draft.type)) throw refusal(400, '"type" contains a lone UTF-16 surrogate', index);
  }
  return draft;
}

function parseRetry(value: unknown, index: number | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  // [WHATWG SSE] retry is honoured only when it is ASCII digits
  if (typeof text !== 'string' || !/^[0-9]{1,9}$/.test(text)) {
    throw refusal(400, '"retry" must be a non-negative integer number of milliseconds', index);
  }
  return Number(text);
}

/** Reads the form-encoded fields of the spec: topic (repeated), data, private, id, type, retry. */
export function parseFormUpdate(body: string, limits: PublishLimits): UpdateDraft {
  // [spec] field names and values MUST be UTF-8, percent-encoded ones included
  if (!percentEncodingIsUtf8(body)) throw new HttpError(400, 'a percent-encoded field is not valid UTF-8');
  const form = new URLSearchParams(body);
  return checkDraft(
    {
      topics: form.getAll('topic'),
      data: form.get('data') ?? '',
      // [spec] if private is set, whatever its value (even empty), the update is private
      private: form.has('private'),
      id: form.get('id') ?? undefined,
      type: form.get('type') ?? undefined,
      retry: parseRetry(form.get('retry') ?? undefined, undefined),
    },
    limits,
    undefined,
  );
}

function optionalString(value: unknown, name: string, index: number | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw refusal(400, `"${name}" must be a string`, index);
  return value;
}

function topicsOf(value: unknown, index: number | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((topic) => typeof topic === 'string')) return value;
  throw refusal(400, '"topic" must be a string or an array of strings', index);
}

function parseJsonObject(value: unknown, limits: PublishLimits, index: number | undefined): UpdateDraft {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw refusal(400, 'an update must be a JSON object', index);
  }
  const fields = value as Record<string, unknown>;
  const isPrivate = fields['private'];
  if (isPrivate !== undefined && typeof isPrivate !== 'boolean') {
    throw refusal(400, '"private" must be true or false', index);
  }
  return checkDraft(
    {
      topics: topicsOf(fields['topic'] ?? fields['topics'], index),
      data: optionalString(fields['data'], 'data', index) ?? '',
      private: isPrivate === true,
      id: optionalString(fields['id'], 'id', index),
      type: optionalString(fields['type'], 'type', index),
      retry: parseRetry(fields['retry'], index),
    },
    limits,
    index,
  );
}

/** Reads a JSON body: one update object, or an array of them (a batch, stored all or nothing). */
export function parseJsonUpdates(
  body: string,
  limits: PublishLimits,
): { drafts: UpdateDraft[]; batch: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // V8's message quotes the start of the body: keep it short, the client has the body.
    const reason = (error as Error).message.slice(0, 200);
    throw new HttpError(400, `the body is not valid JSON: ${reason}`);
  }
  if (!Array.isArray(value)) return { drafts: [parseJsonObject(value, limits, undefined)], batch: false };
  if (value.length === 0) throw new HttpError(400, 'the batch is empty');
  if (value.length > limits.maxBatchSize) {
    throw new HttpError(413, `the batch has more than ${limits.maxBatchSize} updates (setting maxBatchSize)`);
  }
  return { drafts: value.map((item, index) => parseJsonObject(item, limits, index)), batch: true };
}
