/**
 * Mints tokens for development and tests (`spout token`, `spout hub --dev`).
 */
import { SignJWT } from 'jose';

/** What a minted token allows. */
export interface MintOptions {
  /** HMAC secret to sign with. */
  secret: string;
  algorithm?: 'HS256' | 'HS384' | 'HS512';
  /** `mercure.publish` selectors; omitted when undefined. */
  publish?: readonly string[] | undefined;
  /** `mercure.subscribe` selectors; omitted when undefined. */
  subscribe?: readonly string[] | undefined;
  /** `mercure.payload`. */
  payload?: unknown;
  /** Lifetime in seconds; no `exp` when undefined. */
  expiresInSeconds?: number | undefined;
}

/** Signs a JWT carrying a `mercure` claim. */
export async function mintToken(options: MintOptions): Promise<string> {
  const mercure: Record<string, unknown> = {};
  if (options.publish !== undefined) mercure['publish'] = [...options.publish];
  if (options.subscribe !== undefined) mercure['subscribe'] = [...options.subscribe];
  if (options.payload !== undefined) mercure['payload'] = options.payload;
  const jwt = new SignJWT({ mercure })
    .setProtectedHeader({ alg: options.algorithm ?? 'HS256' })
    .setIssuedAt();
  if (options.expiresInSeconds !== undefined) {
    jwt.setExpirationTime(Math.floor(Date.now() / 1000) + options.expiresInSeconds);
  }
  return jwt.sign(new TextEncoder().encode(options.secret));
}
