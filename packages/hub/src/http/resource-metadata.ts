/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) of the hub, for current-protocol clients
 * ([spec] current: Protected Resource Metadata; Error Responses).
 */

import type { AnyRequest } from './body.ts';
import { isSecure } from './client-address.ts';
import type { HubContext } from './context.ts';
import { requestHubUrl, requestOrigin } from './hub-url.ts';
import { HUB_PATH } from './reserved-topic.ts';

/** [RFC 9728 3.1] the well-known path derived from the hub URL's path. */
export const RESOURCE_METADATA_PATH = `/.well-known/oauth-protected-resource${HUB_PATH}`;

/** The metadata document: the resource identifier is the hub URL as the request names it. */
export function resourceMetadata(ctx: HubContext, req: AnyRequest): Record<string, unknown> {
  const document: Record<string, unknown> = {
    // [spec] a published document MUST include resource
    resource: requestHubUrl(req, ctx.trustProxy),
    authorization_details_types_supported: ['mercure'],
    // The access_token query parameter is not taken (see authenticate.ts): the header only.
    bearer_methods_supported: ['header'],
    mercure_cookie: true,
  };
  if (ctx.core.subscriptions) document['mercure_subscriptions'] = true;
  return document;
}

/**
 * Adds `resource_metadata` to a Bearer challenge ([spec] current: challenges SHOULD include it).
 * Other headers are returned as they are.
 */
export function withResourceMetadata(
  headers: Record<string, string>,
  req: AnyRequest,
  trustProxy: boolean,
): Record<string, string> {
  const challenge = headers['www-authenticate'];
  const origin = requestOrigin(req, isSecure(req), trustProxy);
  if (challenge === undefined || !challenge.startsWith('Bearer') || origin === undefined) return headers;
  return {
    ...headers,
    'www-authenticate': `${challenge}, resource_metadata="${origin}${RESOURCE_METADATA_PATH}"`,
  };
}
