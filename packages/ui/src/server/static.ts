/**
 * Serves the built UI: hashed assets cached forever, HTML revalidated on
 * every load (so a rebuilt hub is picked up at once), ETags, gzip.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { UiBundle } from '../bundle/file.ts';
import type { UiRequest, UiResponse } from './http-types.ts';

const PAGE_SECURITY: OutgoingHttpHeaders = {
  // Everything is same-origin and bundled: no CDN, no inline script.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

/** Answers a GET or HEAD for a file of the bundle; false when the path is not one. */
export function serveStatic(bundle: UiBundle, path: string, req: UiRequest, res: UiResponse): boolean {
  const file = bundle.files.get(path);
  if (!file) return false;
  const headers: OutgoingHttpHeaders = {
    'content-type': file.contentType,
    etag: file.etag,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(file.immutable ? {} : PAGE_SECURITY),
  };
  if (file.gzip) headers.vary = 'Accept-Encoding';
  if (matchesEtag(req.headers['if-none-match'], file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  const gzip = file.gzip && acceptsGzip(req.headers['accept-encoding']);
  const body = gzip ? file.gzip! : file.body;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}
