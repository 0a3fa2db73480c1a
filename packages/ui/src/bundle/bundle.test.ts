import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildUi, writeUi } from './build.ts';
import { buildsFromSources } from './load.ts';
import { readUi } from './read.ts';

describe('UI build to disk', () => {
  it('writes an HTML file per page and every hashed asset the pages load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spout-ui-dist-'));
    try {
      await writeUi(dir);
      const top = await readdir(dir);
      assert.ok(top.includes('index.html') && top.includes('debugger.html') && top.includes('status.html'));
      assert.deepEqual((await readdir(join(dir, 'demos/ride'))).sort(), ['driver.html', 'rider.html']);
      const html = await readFile(join(dir, 'demos/prices.html'), 'utf8');
      const assets = new Set(await readdir(join(dir, 'assets')));
      for (const [, ref] of html.matchAll(/(?:src|href)="\/ui\/assets\/([^"]+)"/g))
        assert.ok(assets.has(ref!), ref);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads back, as an installed package serves it, exactly what the repository builds in memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spout-ui-dist-'));
    try {
      await writeUi(dir);
      const [built, read] = await Promise.all([buildUi(), readUi(dir)]);
      assert.deepEqual([...read.files.keys()].sort(), [...built.files.keys()].sort());
      for (const [path, file] of built.files) {
        const served = read.files.get(path)!;
        assert.ok(served.body.equals(file.body), path);
        assert.equal(served.contentType, file.contentType, path);
        assert.equal(served.immutable, file.immutable, path);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('builds from the sources inside the repository (an installed package has no bundler script)', () => {
    assert.equal(buildsFromSources(), true);
  });
});
