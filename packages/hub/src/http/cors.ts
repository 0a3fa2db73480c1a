/**
 * The hub's CORS policy, on @spout/server's `createCors`: an explicit allow-list of origins, with
 * credentials (cookies); `*` only for fully anonymous hubs, and then without credentials (the hub
 * refuses `*` with anything else at start).
 */
import { type Cors, createCors } from '@spout/server';
import { originMatcher } from './origins.ts';

/** The CORS headers of one hub, worked out once from its allowed origins (wildcards included, see origins.ts). */
export function hubCors(origins: readonly string[]): Cors {
  return createCors({
    origins: origins.includes('*') ? origins : originMatcher(origins),
    credentials: !origins.includes('*'),
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'Cache-Control'],
    exposeHeaders: ['Last-Event-ID', 'Mercure-Last-Event-ID', 'Retry-After', 'WWW-Authenticate'],
  });
}
