export {
  isAccessToken,
  type Protocol,
  type ProtocolSetting,
  type RequestContext,
} from './access-token.ts';
export { readAuthorizationDetails } from './authorization-details.ts';
export { type Addressed, mayReceive, publishRefusal } from './authorize.ts';
export { ANONYMOUS, ClaimsError, type MercureClaims, readMercureClaims } from './claims.ts';
export { KeyConfigError, type KeySource, resolveKeySource } from './keys.ts';
export { type MintOptions, mintToken } from './mint.ts';
export {
  ACCESS_TOKEN_COOKIE_NAME,
  CLASSIC_COOKIE_NAME,
  cookieNames,
  MalformedCredentialError,
  type PresentedToken,
  presentedToken,
  readCookie,
} from './token-source.ts';
export {
  createTokenVerifier,
  type ExpectedClaims,
  InvalidTokenError,
  type TokenVerifier,
  type VerifiedToken,
} from './verifier.ts';
