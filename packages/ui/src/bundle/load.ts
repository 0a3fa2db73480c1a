/**
 * Where the served UI comes from. Inside the repository (the page sources and
 * the esbuild script are present) it is built in memory from the sources,
 * once per process, so an edited page is served at the next start and a stale
 * `dist/` never is. An installed @spout/ui ships neither: it serves the static
 * files its `build` script wrote before packing.
 */
import { existsSync } from 'node:fs';
import type { UiBundle } from './file.ts';
import { readUi, UI_DIST_DIR } from './read.ts';

const BUILD_SCRIPT = new URL('./build.ts', import.meta.url);

/** True inside the repository: the bundler script is not part of the published package. */
export function buildsFromSources(): boolean {
  return existsSync(BUILD_SCRIPT);
}

async function load(): Promise<UiBundle> {
  if (buildsFromSources()) {
    const { buildUi } = (await import(BUILD_SCRIPT.href)) as typeof import('./build.ts');
    return buildUi();
  }
  try {
    return await readUi(UI_DIST_DIR);
  } catch (error) {
    throw new Error(
      `the web UI's static files are missing or incomplete in ${UI_DIST_DIR} (this @spout/ui was packed without \`npm run build\`)`,
      { cause: error },
    );
  }
}

let cached: Promise<UiBundle> | undefined;

/** The UI loaded once per process; every hub in the process shares it. */
export function uiBundle(): Promise<UiBundle> {
  cached ??= load().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
