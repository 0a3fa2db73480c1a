/**
 * POST /.well-known/mercure: publishing ([spec] Publication; Authorization: Publishers).
 */
import { type Protocol, publishRefusal } from '../auth/index.ts';
import { encodeUpdate } from '../core/encode.ts';
import { timeOrderedId } from '../core/ids.ts';
import { DuplicateIdError } from '../store/errors.ts';
import type { StoredUpdate, Update } from '../store/types.ts';
import { someSelectorMatches } from '../topics/index.ts';
import { authenticate, type Identity } from './authenticate.ts';
import { type AnyRequest, readBody } from './body.ts';
import type { HubContext } from './context.ts';
import {
  type AnyResponse,
  HttpError,
  insufficientScope,
  sendJson,
  sendText,
  unauthorized,
} from './errors.ts';
import { parseFormUpdate, parseJsonUpdates, type UpdateDraft } from './publish-input.ts';
import { isReservedTopic } from './reserved-topic.ts';
import { storeRefusal } from './store-refusal.ts';

function readDrafts(
  ctx: HubContext,
  contentType: string,
  body: string,
  protocol: Protocol,
): { drafts: UpdateDraft[]; batch: boolean } {
  const limits = { ...ctx.core.limits, protocol };
  if (contentType === 'application/x-www-form-urlencoded')
    return { drafts: [parseFormUpdate(body, limits)], batch: false };
  if (contentType === 'application/json') return parseJsonUpdates(body, limits);
  // [spec] the request MUST be encoded as application/x-www-form-urlencoded (JSON is an extension)
  throw new HttpError(
    415,
    `unsupported Content-Type ${JSON.stringify(contentType)}: use application/x-www-form-urlencoded or application/json`,
  );
}

function authorize(drafts: readonly UpdateDraft[], identity: Identity): void {
  for (let index = 0; index < drafts.length; index++) {
    const draft = drafts[index]!;
    const where = drafts.length > 1 ? `update ${index}: ` : '';
    // [spec] if the publisher is not authorized for all topics, the hub MUST NOT dispatch and MUST answer 403
    // ([spec] current: with error="insufficient_scope")
    const refusal = publishRefusal(identity.claims, draft);
    if (refusal !== undefined && identity.protocol === 'current') {
      const topic = draft.topics.find((t) => !someSelectorMatches(identity.claims.publish ?? [], t));
      throw insufficientScope(
        `${where}the access token grants no "publish" action on ${JSON.stringify(topic)}`,
      );
    }
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

/**
 * [policy] an update must encode to at most half of a subscriber's queue (`subscriberQueueBytes`):
 * a larger one could never reach a subscriber that has anything else in flight, and would close
 * every subscriber resuming from before it, forever. Refused before it is stored.
 */
function checkEncodedSize(updates: readonly Update[], queueBytes: number): void {
  const limit = Math.floor(queueBytes / 2);
  for (let index = 0; index < updates.length; index++) {
    const update = updates[index]!;
    // A UTF-16 unit encodes to at most 7 bytes (a line break becomes "\ndata: "), plus the field
    // names: nearly every update is far below the limit without being encoded here.
    const units = update.data.length + update.id.length + (update.type?.length ?? 0);
    if (units * 7 + 64 <= limit) continue;
    const size = encodeUpdate(update).byteLength;
    if (size > limit) {
      const where = updates.length > 1 ? `update ${index}: ` : '';
      throw new HttpError(
        413,
        `${where}the update encodes to ${size} bytes as an event (line breaks in "data" count as a "data: " line each); an update may take at most half of subscriberQueueBytes (${queueBytes} bytes): send less data or raise subscriberQueueBytes`,
      );
    }
  }
}

async function store(ctx: HubContext, updates: Update[]): Promise<StoredUpdate[]> {
  try {
    return await ctx.core.publish(updates);
  } catch (error) {
    // [policy] a retry of one update (same id, same content) is answered as the first attempt was,
    // without a second dispatch; a different update under a used id still answers 409.
    const retried =
      updates.length === 1 && error instanceof DuplicateIdError
        ? await sameStored(ctx, updates[0]!)
        : undefined;
    if (retried !== undefined) return [retried];
    throw storeRefusal(error) ?? error;
  }
}

/** The stored update with `update`'s id, when it has the same content; undefined otherwise. */
async function sameStored(ctx: HubContext, update: Update): Promise<StoredUpdate | undefined> {
  const position = await ctx.core.store.positionOf(update.id);
  if (position === undefined) return undefined;
  const [stored] = await ctx.core.store.readAfter(position - 1, 1);
  if (stored === undefined || stored.id !== update.id) return undefined;
  const same =
    stored.data === update.data &&
    stored.private === update.private &&
    (stored.type ?? '') === (update.type ?? '') &&
    stored.retry === update.retry &&
    stored.topics.length === update.topics.length &&
    stored.topics.every((topic, index) => topic === update.topics[index]);
  return same ? stored : undefined;
}

/** Accepts one update (form or JSON) or a batch (JSON array), stores it durably, answers its id(s). */
export async function handlePublish(
  ctx: HubContext,
  req: AnyRequest,
  res: AnyResponse,
  query: URLSearchParams,
): Promise<void> {
  if (ctx.core.closing) throw new HttpError(503, 'the hub is shutting down', { 'retry-after': '5' });
  // A publish request announces its protocol by its token only: none before the token is read.
  const protocol = ctx.protocol === 'current' ? 'current' : undefined;
  const identity = await authenticate(req, query, ctx.publisherAuth, ctx.trustProxy, protocol);
  // [spec] publishers MUST be authorized to dispatch updates
  if (identity === undefined)
    throw unauthorized('publishing requires a token with a "mercure.publish" claim', false);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const body = await readBody(req, ctx.core.limits.maxBodyBytes);
  const { drafts, batch } = readDrafts(ctx, contentType, body, identity.protocol);
  authorize(drafts, identity);
  // [spec] if omitted, the hub MUST generate a valid IRI as id
  // The drafts are this request's own: completed in place rather than copied.
  for (const draft of drafts) draft.id ??= timeOrderedId();
  checkEncodedSize(drafts as Update[], ctx.core.limits.subscriberQueueBytes);
  const stored = await store(ctx, drafts as Update[]);
  ctx.core.metrics.publishes.inc(stored.length);
  ctx.core.metrics.publishedOk.inc();
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
