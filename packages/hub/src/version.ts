/**
 * The version of @spout/hub, read from its package.json. The file sits one level up from src/ in
 * the repository and two levels up from dist/src/ once compiled, so it is looked for upwards rather
 * than imported with a fixed relative path (which tsc would also copy into dist/).
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (manifest.name === '@spout/hub' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // Not this level: try the next one up.
    }
  }
  return 'unknown';
}

/** This package's version, e.g. `0.1.0`. */
export const HUB_VERSION: string = readVersion();
