/**
 * Builds the web UI with esbuild: one ES module bundle per page (shared code
 * split into chunks), one stylesheet, and an HTML shell per route. Assets get
 * content hashes in their names so the hub can serve them as immutable; the
 * HTML shells are small and revalidated on every load.
 *
 * `buildUi()` builds in memory (what the hub serves); run this file to also
 * write the result to ui/dist/ for inspection or packaging:
 *   npm exec -- node --conditions=spout-source packages/hub/ui/build.ts
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { UI_PAGES, UI_PREFIX, type UiPage, uiEntries } from './pages.ts';

const UI_DIR = dirname(fileURLToPath(import.meta.url));
export const UI_DIST_DIR = join(UI_DIR, 'dist');
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

function file(body: Buffer, contentType: string, immutable: boolean): UiFile {
  const gzip = body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, gzip: gzip && gzip.length < body.length ? gzip : undefined, contentType, etag, immutable };
}

function shell(page: UiPage, scripts: string[], styles: string[], preloads: string[]): string {
  const links = [
    ...styles.map((href) => `<link rel="stylesheet" href="${href}">`),
    // Chunks the entry imports, fetched in parallel with it rather than after it.
    ...preloads.map((href) => `<link rel="modulepreload" href="${href}">`),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Spout</title>
<link rel="icon" href="data:,">
${links}
${scripts.map((src) => `<script type="module" src="${src}"></script>`).join('\n')}
</head>
<body>
<div id="app"></div>
<noscript>This page needs JavaScript.</noscript>
</body>
</html>
`;
}

/** Output URLs of one entry point: its script, the chunks it imports, and the stylesheets it pulled in. */
function entryOutputs(
  metafile: Metafile,
  entry: string,
): { script: string; chunks: string[]; css: string[] } {
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    if (meta.entryPoint !== entry) continue;
    const css = meta.cssBundle ? [ASSET_PREFIX + basename(meta.cssBundle)] : [];
    const chunks = meta.imports
      .filter((imported) => imported.kind === 'import-statement' && !imported.external)
      .map((imported) => ASSET_PREFIX + basename(imported.path));
    return { script: ASSET_PREFIX + basename(output), chunks, css };
  }
  throw new Error(`esbuild produced no output for ${entry}`);
}

/** Builds every page in memory. Set `minify: false` for readable output. */
export async function buildUi(options: { minify?: boolean } = {}): Promise<UiBundle> {
  const entryPoints: Record<string, string> = { styles: join(UI_DIR, 'src/styles.css') };
  for (const entry of uiEntries()) entryPoints[entry] = join(UI_DIR, 'src/pages', `${entry}.ts`);
  // Loaded here, not at the top: an installed hub serves the prebuilt UI and never needs esbuild.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints,
    absWorkingDir: UI_DIR,
    outdir: join(UI_DIR, 'dist/assets'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    // The workspace packages' TypeScript sources, not their dist/ (which may not be built yet).
    conditions: ['spout-source'],
    target: ['es2022'],
    minify: options.minify ?? true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    metafile: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const files = new Map<string, UiFile>();
  for (const output of result.outputFiles) {
    const ext = output.path.slice(output.path.lastIndexOf('.'));
    files.set(
      ASSET_PREFIX + basename(output.path),
      file(Buffer.from(output.contents), CONTENT_TYPES[ext] ?? 'application/octet-stream', true),
    );
  }
  const styles = entryOutputs(result.metafile, 'src/styles.css').script;
  for (const page of UI_PAGES) {
    const { script, chunks, css } = entryOutputs(result.metafile, `src/pages/${page.entry}.ts`);
    const html = shell(page, [script], [styles, ...css], chunks);
    files.set(page.path, file(Buffer.from(html), CONTENT_TYPES['.html']!, false));
  }
  return { files };
}

let cached: Promise<UiBundle> | undefined;

/**
 * The UI built once per process; every hub in the process shares it. The compiled hub (dist/)
 * serves the files its build wrote beside it; the sources in the repository build in memory, so
 * an edit shows at the next start.
 */
export function uiBundle(): Promise<UiBundle> {
  const prebuilt = import.meta.url.endsWith('.js') && existsSync(UI_DIST_DIR);
  cached ??= (prebuilt ? readUi(UI_DIST_DIR) : buildUi()).catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

/** Where a URL path lands under dist/: pages become .html files. */
function distPath(urlPath: string): string {
  const rel = urlPath.replace(/^\/ui\/?/, '');
  if (rel.startsWith('assets/')) return rel;
  return `${rel || 'index'}.html`;
}

/** The URL path of a file under dist/: the inverse of `distPath`. */
function urlPathOf(rel: string): string {
  if (rel.startsWith('assets/')) return ASSET_PREFIX + rel.slice('assets/'.length);
  const page = rel.slice(0, -'.html'.length);
  return page === 'index' ? `${UI_PREFIX}/` : `${UI_PREFIX}/${page}`;
}

/** Reads a bundle that `writeUi` wrote to `dir`. */
export async function readUi(dir: string): Promise<UiBundle> {
  const files = new Map<string, UiFile>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/');
    const type = CONTENT_TYPES[extname(rel)] ?? 'application/octet-stream';
    files.set(urlPathOf(rel), file(await readFile(join(dir, rel)), type, rel.startsWith('assets/')));
  }
  return { files };
}

/** Builds and writes the bundle to `outDir` (default ui/dist), replacing what was there. */
export async function writeUi(outDir = UI_DIST_DIR): Promise<string[]> {
  const bundle = await buildUi();
  await rm(outDir, { recursive: true, force: true });
  const written: string[] = [];
  for (const [urlPath, entry] of bundle.files) {
    const target = join(outDir, distPath(urlPath));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, entry.body);
    written.push(relative(process.cwd(), target));
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // The hub's build passes dist/ui/dist: where the compiled build.js looks for it.
  const outDir = process.argv[2] ?? UI_DIST_DIR;
  const written = await writeUi(outDir);
  console.log(`ui: wrote ${written.length} files to ${relative(process.cwd(), outDir)}`);
}
