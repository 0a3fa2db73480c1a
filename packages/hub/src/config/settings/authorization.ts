/**
 * The settings of token verification, cookies and CORS.
 */
import type { Setting } from './setting.ts';

export const AUTHORIZATION_SETTINGS = [
  {
    name: 'jwtKey',
    type: 'string',
    group: 'Authorization',
    description:
      "Key verifying publishers' and subscribers' JWTs: an HMAC secret, a PEM public key, or @path to read either from a file.",
  },
  {
    name: 'jwtAlgorithms',
    type: 'list',
    group: 'Authorization',
    description:
      'Accepted JWS algorithms (HS256,RS256,ES256,PS256,EdDSA, ...). Default: by key type. "none" is never accepted.',
  },
  {
    name: 'publisherJwtKey',
    type: 'string',
    group: 'Authorization',
    description: "Key for publishers' tokens only (overrides --jwt-key for them).",
  },
  {
    name: 'publisherJwtAlgorithms',
    type: 'list',
    group: 'Authorization',
    description: 'Algorithms for --publisher-jwt-key.',
  },
  {
    name: 'subscriberJwtKey',
    type: 'string',
    group: 'Authorization',
    description: "Key for subscribers' tokens only (overrides --jwt-key for them).",
  },
  {
    name: 'subscriberJwtAlgorithms',
    type: 'list',
    group: 'Authorization',
    description: 'Algorithms for --subscriber-jwt-key.',
  },
  {
    name: 'jwksFile',
    type: 'string',
    group: 'Authorization',
    description: 'JSON Web Key Set file whose keys verify tokens (in addition to --jwt-key).',
  },
  {
    name: 'jwksUrl',
    type: 'string',
    group: 'Authorization',
    description: 'URL of a JSON Web Key Set (fetched and cached) whose keys verify tokens.',
  },
  {
    name: 'jwtAudience',
    type: 'list',
    group: 'Authorization',
    description: "When set, tokens must carry one of these in their `aud` claim (e.g. the hub's URL).",
  },
  {
    name: 'jwtIssuer',
    type: 'list',
    group: 'Authorization',
    description: 'When set, tokens must carry one of these in their `iss` claim.',
  },
  {
    name: 'anonymous',
    type: 'boolean',
    group: 'Authorization',
    default: false,
    description: 'Allow subscribers without a token (they receive public updates only).',
  },
  {
    name: 'cookieName',
    type: 'string',
    group: 'Authorization',
    description:
      'Name of the cookie carrying a token (default: mercureAuthorization for classic requests, __Secure-mercure_access_token for current ones; both are read).',
  },
  {
    name: 'corsOrigins',
    type: 'list',
    group: 'Authorization',
    default: [],
    description:
      'Origins allowed by CORS and for cookie authorization (CSRF check), comma-separated. "*" only with --anonymous.',
  },
] as const satisfies readonly Setting[];
