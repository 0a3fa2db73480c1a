/**
 * What verification yields, and how it refuses.
 */
import type { MercureClaims } from './claims.ts';

/** A Mercure protocol. */
export type Protocol = 'classic' | 'current';
/** The operator's choice of protocols: one, or both side by side. */
export type ProtocolSetting = Protocol | 'both';

/** A token that passed verification. */
export interface VerifiedToken {
  claims: MercureClaims;
  /** When the token expires (`exp`), in milliseconds since the epoch. */
  expiresAt: number | undefined;
  /** Which protocol the token belongs to: a `mercure` claim (classic) or an `at+jwt` access token (current). */
  protocol: Protocol;
}

/** Thrown when a token is refused; `message` says why, in words a client developer can act on. */
export class InvalidTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}
