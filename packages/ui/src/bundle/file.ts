/**
 * The built UI as the handler serves it: one file per URL path, with the
 * headers' raw material (type, validator, gzip) computed once. Shared by the
 * in-repository build and the reader of the packaged static files, so both
 * serve byte-for-byte the same answers.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** URL prefix of the hashed assets. */
export const ASSET_PREFIX = '/ui/assets/';

/** One file ready to serve. */
export interface UiFile {
  body: Buffer;
  /** Gzipped body, when compressing saves bytes. */
  gzip?: Buffer | undefined;
  contentType: string;
  /** Strong validator: a hash of the body. */
  etag: string;
  /** Hashed asset names never change content: cache them forever. */
  immutable: boolean;
}

/** Everything the hub serves for the UI, by URL path. */
export interface UiBundle {
  files: ReadonlyMap<string, UiFile>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** The content type of a file name, by its extension. */
export function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
}

/** A servable file; assets (hashed names) are immutable, pages are revalidated. */
export function uiFile(body: Buffer, contentType: string, immutable: boolean): UiFile {
  const gzip = body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: gzip && gzip.length < body.length ? gzip : undefined, contentType, etag, immutable };
}

/** Where a URL path lands in the static folder: pages become .html files. */
export function distPath(urlPath: string): string {
  const rel = urlPath.replace(/^\/ui\/?/, '');
  if (rel.startsWith('assets/')) return rel;
  return `${rel || 'index'}.html`;
}
