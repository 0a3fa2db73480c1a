/**
 * Fixtures for the configuration tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The least environment a hub starts with: a JWT key. */
export const KEY = { SPOUT_JWT_KEY: 'k' };

/** Writes `document` as a JSON config file in a fresh directory; returns its path. */
export function configFile(document: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spout-config-')), 'hub.json');
  writeFileSync(path, JSON.stringify(document));
  return path;
}
