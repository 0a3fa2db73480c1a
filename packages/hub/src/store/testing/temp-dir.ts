import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory for sqlite files, removed by `dispose`. */
export async function temporaryDirectory(): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'spout-store-'));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}
