/**
 * `npm run build -w @spout/ui`: bundles the pages with esbuild and writes the
 * static files to dist/, which an installed @spout/ui serves as they are
 * (run before packing by `prepack`). Inside the repository the hub builds the
 * same files in memory instead, so this step is never needed to develop.
 */
import { relative } from 'node:path';
import { writeUi } from '../src/bundle/build.ts';
import { UI_DIST_DIR } from '../src/bundle/read.ts';

const written = await writeUi();
console.log(`@spout/ui: wrote ${written.length} files to ${relative(process.cwd(), UI_DIST_DIR) || '.'}`);
