/**
 * Builds the browser bundle: dist/spout-client.js, one ES module with EventSource, connect() and
 * the protocol parser inlined. Run with `npm run build -w packages/client`.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where the bundle is written. */
export const BUNDLE_PATH = `${packageRoot}dist/spout-client.js`;

/** Builds the bundle and returns its size in bytes. */
export async function buildBundle(): Promise<number> {
  const result = await build({
    entryPoints: [`${packageRoot}src/index.ts`],
    outfile: BUNDLE_PATH,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    // The workspace packages' TypeScript sources, not their dist/ (which may not be built yet).
    conditions: ['spout-source'],
    target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  return Object.values(result.metafile.outputs).find((output) => output.entryPoint !== undefined)?.bytes ?? 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await buildBundle();
  console.log(`${BUNDLE_PATH}: ${(bytes / 1024).toFixed(1)} KiB`);
}
