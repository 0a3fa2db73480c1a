/**
 * Reads the UI's static files, built by `npm run build -w @spout/ui`, into
 * the bundle the handler serves. This is all an installed @spout/ui does at
 * run time: no bundler, no sources.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UI_PAGES } from '../pages.ts';
import { ASSET_PREFIX, contentTypeOf, distPath, type UiBundle, type UiFile, uiFile } from './file.ts';

/**
 * The folder `npm run build -w @spout/ui` writes and an installed package serves: dist/static, the
 * same folder from src/bundle/ (the sources) and from dist/bundle/ (compiled), beside tsc's output.
 */
export const UI_DIST_DIR = fileURLToPath(new URL('../../dist/static/', import.meta.url));

/** Loads every page and asset under `dir`; throws when a page is missing (an incomplete build). */
export async function readUi(dir: string): Promise<UiBundle> {
  const files = new Map<string, UiFile>();
  for (const name of await readdir(join(dir, 'assets'))) {
    const body = await readFile(join(dir, 'assets', name));
    files.set(ASSET_PREFIX + name, uiFile(body, contentTypeOf(name), true));
  }
  for (const page of UI_PAGES) {
    const body = await readFile(join(dir, distPath(page.path)));
    files.set(page.path, uiFile(body, contentTypeOf('.html'), false));
  }
  return { files };
}
