/**
 * POST /.well-known/mercure: publishing ([spec] Publication; Authorization: Publishers).
 */
import { publishRefusal } from '../auth/index.ts';
import type { HubContext } from '../hub/context.ts';
import { timeOrderedId } from '../hub/ids.ts';
import {
  DuplicateIdError,
  StoreClosedError,
  StoreOverloadedError,
  StoreUnavailableError,
} from '../store/errors.ts';
import type { StoredUpdate, Update } from '../store/types.ts';
import { authenticate } from './authenticate.ts';
import { type AnyRequest, readBody } from './body.ts';
import { type AnyResponse, HttpError, sendJson, sendText, unauthorized } from './errors.ts';
import { parseFormUpdate, parseJsonUpdates, type UpdateDraft } from './publish-input.ts';

/** Where the hub answers ([spec] the hub URL path). */
export const HUB_PATH = '/.well-known/mercure';

/**
 * True when a topic resolves into the hub's own namespace, where subscription events live:
 * a publisher must not be able to forge them (draft-08 makes this a MUST; earlier drafts
 * reserve the path without saying so).
 */
export function isReservedTopic(topic: string): boolean {
  // Cheap test first: every spelling that resolves into the namespace contains it.
  if (!topic.includes('well-known')) return false;
  let path: string;
  try {
    path = new URL(topic, 'http://hub.invalid/').pathname;
  } catch {
    return false;
  }
  return path === HUB_PATH || path.startsWith(`${HUB_PATH}/`);
}

function readDrafts(
  ctx: HubContext,
  contentType: string,
  body: string,
): { drafts: UpdateDraft[]; batch: boolean } {
  const limits = ctx.limits;
  if (contentType === 'application/x-www-form-urlencoded')
    return { drafts: [parseFormUpdate(body, limits)], batch: false };
  if (contentType === 'application/json') return parseJsonUpdates(body, limits);
  // [spec] the request MUST be encoded as application/x-www-form-urlencoded (JSON is an extension)
  throw new HttpError(
    415,
    `unsupported Content-Type ${JSON.stringify(contentType)}: use application/x-www-form-urlencoded or application/json`,
  );
}

function authorize(drafts: readonly UpdateDraft[], claims: Parameters<typeof publishRefusal>[0]): void {
  for (let index = 0; index < drafts.length; index++) {
    const draft = drafts[index]!;
    const where = drafts.length > 1 ? `update ${index}: ` : '';
    // [spec] if the publisher is not authorized for all topics, the hub MUST NOT dispatch and MUST answer 403
    const refusal = publishRefusal(claims, draft);
    if (refusal !== undefined) throw new HttpError(403, where + refusal);
    const reserved = draft.topics.find(isReservedTopic);
    if (reserved !== undefined) {
      throw new HttpError(
        403,
        `${where}topic ${JSON.stringify(reserved)} is in the hub's reserved namespace`,
      );
    }
  }
}

/** Maps store refusals to answers a publisher can act on. */
function storeRefusal(error: unknown): HttpError | undefined {
  if (error instanceof DuplicateIdError) {
    return new HttpError(
      409,
      `an update with id ${JSON.stringify(error.id)} already exists; ids must be unique`,
    );
  }
  if (error instanceof StoreOverloadedError) return new HttpError(503, error.message, { 'retry-after': '1' });
  if (error instanceof StoreClosedError) {
    return new HttpError(503, 'the hub is shutting down', { 'retry-after': '5' });
  }
  if (error instanceof StoreUnavailableError) {
    // An ambiguous failure may have stored the update: a retry with the same id is safe (409 if it was).
    const advice = error.ambiguous ? '; the update may have been stored: retry with the same id' : '';
    return new HttpError(503, `the store is unavailable${advice}`, { 'retry-after': '1' });
  }
  return undefined;
}

async function store(ctx: HubContext, updates: Update[]): Promise<StoredUpdate[]> {
  try {
    return await ctx.append(updates);
  } catch (error) {
    throw storeRefusal(error) ?? error;
  }
}

/** Accepts one update (form or JSON) or a batch (JSON array), stores it durably, answers its id(s). */
export async function handlePublish(
  ctx: HubContext,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
): Promise<void> {
  if (ctx.closing) throw new HttpError(503, 'the hub is shutting down', { 'retry-after': '5' });
  const identity = await authenticate(req, query, ctx.publisherAuth, ctx.trustProxy);
  // [spec] publishers MUST be authorized to dispatch updates
  if (identity === undefined)
    throw unauthorized('publishing requires a token with a "mercure.publish" claim', false);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await readBody(req, ctx.limits.maxBodyBytes);
  const { drafts, batch } = readDrafts(ctx, contentType, body);
  authorize(drafts, identity.claims);
  // [spec] if omitted, the hub MUST generate a valid IRI as id
  // The drafts are this request's own: completed in place rather than copied.
  for (const draft of drafts) draft.id ??= timeOrderedId();
  const stored = await store(ctx, drafts as Update[]);
  ctx.metrics.publishes.inc(stored.length);
  ctx.metrics.publishedOk.inc();
  const headers = ctx.cors.headers(req.headers.origin);
  // [spec] on success, the body MUST be the id of the update and the status a success code
  if (batch)
    sendJson(
      res,
      200,
      stored.map((update) => update.id),
      headers,
    );
  else sendText(res, 200, stored[0]!.id, headers);
}
