/**
 * Turns a publish request body into updates: the form encoding of the spec, and
 * JSON (one object, or an array for a batch) as an extension.
 */
import type { Protocol } from '../auth/index.ts';
import type { Update } from '../store/types.ts';
import { HttpError } from './errors.ts';
import { percentEncodingIsUtf8 } from './form-utf8.ts';
import { checkCurrentDraft } from './publish-current.ts';

/** An update as the publisher described it; the hub fills in the id when absent. */
export interface UpdateDraft extends Omit<Update, 'id'> {
  id: string | undefined;
}

/** Limits applied while reading updates. */
export interface PublishLimits {
  maxTopicsPerUpdate: number;
  maxBatchSize: number;
  maxIdLength: number;
  /** The protocol whose field rules apply (the current one adds rules). Default classic. */
  protocol?: Protocol | undefined;
}

const LINE_BREAK = /[\r\n]/;
/** C0 controls, DEL and C1 controls. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Unicode format characters (general category Cf): invisible, they enable identifier spoofing. */
export const FORMAT = /\p{Cf}/u;
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

function badRequest(message: string, index: number | undefined): HttpError {
  return new HttpError(400, index === undefined ? message : `update ${index}: ${message}`);
}

function checkDraft(draft: UpdateDraft, limits: PublishLimits, index: number | undefined): UpdateDraft {
  if (limits.protocol === 'current') checkCurrentDraft(draft, limits, index);
  if (draft.topics.length === 0) throw badRequest('missing "topic": give at least one topic', index);
  if (draft.topics.length > limits.maxTopicsPerUpdate) {
    throw badRequest(`more than ${limits.maxTopicsPerUpdate} topics (setting maxTopicsPerUpdate)`, index);
  }
  if (draft.topics.some((topic) => topic === '')) throw badRequest('a "topic" is empty', index);
  // [draft-08] topics MUST NOT contain C0, DEL or C1 control characters
  if (draft.topics.some((topic) => CONTROL.test(topic))) {
    throw badRequest('a "topic" contains a control character (U+0000-U+001F, U+007F-U+009F)', index);
  }
  const id = draft.id;
  if (id !== undefined) {
    // [spec] the provided id MUST NOT start with the # character
    if (id.startsWith('#')) throw badRequest('"id" must not start with "#" (reserved for the hub)', index);
    if (id === '' || id === 'earliest') throw badRequest(`"id" must not be ${JSON.stringify(id)}`, index);
    // The id comes back in the Last-Event-ID header, which servers and proxies cap at a few KiB.
    if (id.length > limits.maxIdLength) {
      throw badRequest(`"id" is longer than ${limits.maxIdLength} characters (setting maxIdLength)`, index);
    }
    // Also keeps CR, LF and NUL out of the SSE id field.
    if (!HEADER_SAFE_ID.test(id)) throw badRequest(ID_RULE, index);
  }
  if (draft.type !== undefined) {
    if (LINE_BREAK.test(draft.type)) {
      throw badRequest('"type" must not contain CR or LF (it becomes the SSE event field)', index);
    }
    if (LONE_SURROGATE.test(draft.type)) throw badRequest('"type" contains a lone UTF-16 surrogate', index);
  }
  return draft;
}

function parseRetry(value: unknown, index: number | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  // [WHATWG SSE] retry is honoured only when it is ASCII digits
  if (typeof text !== 'string' || !/^[0-9]{1,9}$/.test(text)) {
    throw badRequest('"retry" must be a non-negative integer number of milliseconds', index);
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
  if (typeof value !== 'string') throw badRequest(`"${name}" must be a string`, index);
  return value;
}

function topicsOf(value: unknown, index: number | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((topic) => typeof topic === 'string')) return value;
  throw badRequest('"topic" must be a string or an array of strings', index);
}

function parseJsonObject(value: unknown, limits: PublishLimits, index: number | undefined): UpdateDraft {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest('an update must be a JSON object', index);
  }
  const fields = value as Record<string, unknown>;
  const isPrivate = fields['private'];
  if (isPrivate !== undefined && typeof isPrivate !== 'boolean') {
    throw badRequest('"private" must be true or false', index);
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
