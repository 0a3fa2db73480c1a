/**
 * Builds the web UI with esbuild: one ES module bundle per page (shared code
 * split into chunks), one stylesheet, and an HTML shell per route. Assets get
 * content hashes in their names so the hub can serve them as immutable; the
 * HTML shells are small and revalidated on every load.
 *
 * Used only inside the repository (esbuild is a devDependency and this file
 * is not published): `buildUi()` builds in memory for a development hub,
 * `writeUi()` writes the static files an installed package serves
 * (`npm run build -w @spout/ui`).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { UI_PAGES, type UiPage, uiEntries } from '../pages.ts';
import { ASSET_PREFIX, contentTypeOf, distPath, type UiBundle, type UiFile, uiFile } from './file.ts';
import { UI_DIST_DIR } from './read.ts';

/** The browser sources: pages, components, styles. */
const SOURCE_DIR = fileURLToPath(new URL('../browser/', import.meta.url));

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
  const entryPoints: Record<string, string> = { styles: join(SOURCE_DIR, 'styles.css') };
  for (const entry of uiEntries()) entryPoints[entry] = join(SOURCE_DIR, 'pages', `${entry}.ts`);
  const result = await build({
    entryPoints,
    absWorkingDir: SOURCE_DIR,
    outdir: join(UI_DIST_DIR, 'assets'),
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
    files.set(
      ASSET_PREFIX + basename(output.path),
      uiFile(Buffer.from(output.contents), contentTypeOf(output.path), true),
    );
  }
  const styles = entryOutputs(result.metafile, 'styles.css').script;
  for (const page of UI_PAGES) {
    const { script, chunks, css } = entryOutputs(result.metafile, `pages/${page.entry}.ts`);
    const html = shell(page, [script], [styles, ...css], chunks);
    files.set(page.path, uiFile(Buffer.from(html), contentTypeOf('.html'), false));
  }
  return { files };
}

/** Builds and writes the static files to `outDir` (default packages/ui/dist), replacing what was there. */
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
