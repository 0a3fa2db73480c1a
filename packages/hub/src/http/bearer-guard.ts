/**
 * A route that only the bearer of one token may use (RFC 6750): the metrics token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AnyRequest } from './body.ts';
import { type AnyResponse, sendText } from './errors.ts';

/** Lets a request through (true), or answers it 401 with a Bearer challenge (false). */
export type Guard = (req: AnyRequest, res: AnyResponse) => boolean;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * A guard requiring `Authorization: Bearer <token>`, compared in constant time. `realm` names the
 * challenge; `setting` (e.g. `--metrics-token`) is named to a client that sent no token.
 */
export function bearerGuard(token: string, realm: string, setting: string): Guard {
  const expected = digest(token);
  return (req, res) => {
    const header = req.headers.authorization;
    const given = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
    if (given === undefined) {
      // [RFC 6750 3.1] a request without credentials gets no error code, only the challenge
      sendText(res, 401, `a bearer token is required (${setting})\n`, {
        'www-authenticate': `Bearer realm="${realm}"`,
      });
      return false;
    }
    if (!timingSafeEqual(digest(given), expected)) {
      const path = (req.url ?? '/').split('?', 1)[0];
      sendText(res, 401, `wrong bearer token for ${path}\n`, {
        'www-authenticate': `Bearer realm="${realm}", error="invalid_token"`,
      });
      return false;
    }
    return true;
  };
}
