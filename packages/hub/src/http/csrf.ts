/**
 * CSRF mitigation for cookie authorization ([spec] Security Considerations): the
 * request's `Origin` (or, without it, the origin of its `Referer`) must be allowed.
 */

import { originMatcher } from './origins.ts';

/** Why a cookie-authorized request is refused, or undefined when its origin is allowed. */
export function cookieOriginRefusal(
  origin: string | undefined,
  referer: string | undefined,
  allowedOrigins: readonly string[],
): string | undefined {
  let source = origin;
  if (source === undefined && referer !== undefined) {
    try {
      source = new URL(referer).origin;
    } catch {
      return 'the Referer header is not a valid URL';
    }
  }
  // [spec] if neither Origin nor Referer is available, the hub SHOULD discard the request
  if (source === undefined) {
    return 'a request authorized by cookie must carry an Origin or Referer header (CSRF protection)';
  }
  if (originMatcher(allowedOrigins)(source)) return undefined;
  return `origin ${JSON.stringify(source)} is not allowed to use cookie authorization; add it to corsOrigins`;
}
