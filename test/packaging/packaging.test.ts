/**
 * Issue 13's proof: build, `npm pack` every package, install the tarballs into a fresh project
 * outside the repository, and use them there as a user would: plain Node 24 and Node 22 (no type
 * stripping), a strict TypeScript consumer, an esbuild browser bundle in Chromium, and the
 * installed `spout` command. Loopback only; the registry only for what npm's cache lacks.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchChromium } from '../../testing/chromium.ts';
import {
  cleanEnv,
  createProject,
  finished,
  freePort,
  linksIntoRepo,
  ok,
  packAll,
  REPO,
  readmeExample,
  run,
} from './project.ts';
import { startHub, stopHub } from './spout-command.ts';

const PACKAGES = ['@spout/protocol', '@spout/server', '@spout/client', '@spout/hub', '@spout/ui'];
let app = '';
let node22 = '';
let tarballDir = '';

describe('the packed packages, installed outside the repository', { timeout: 300_000 }, () => {
  before(async () => {
    // Debugging: SPOUT_PACKAGING_PROJECT=<app dir kept by SPOUT_KEEP_PACKAGING=1> skips build and install.
    const reuse = process.env.SPOUT_PACKAGING_PROJECT;
    if (reuse) {
      app = reuse;
      node22 = join(app, 'node_modules', 'node', 'bin', 'node');
      return;
    }
    ok(await run('npm', ['run', 'build'], { cwd: REPO, timeoutMs: 180_000 }), 'npm run build');
    tarballDir = mkdtempSync(join(tmpdir(), 'spout-tarballs-'));
    const tarballs = await packAll(tarballDir);
    assert.deepEqual([...tarballs.keys()].sort(), [...PACKAGES].sort());
    app = await createProject(tarballs);
    node22 = join(app, 'node_modules', 'node', 'bin', 'node');
  });
  after(() => {
    if (tarballDir && !process.env.SPOUT_KEEP_PACKAGING) rmSync(tarballDir, { recursive: true, force: true });
    if (app && !process.env.SPOUT_KEEP_PACKAGING && !process.env.SPOUT_PACKAGING_PROJECT)
      rmSync(dirname(app), { recursive: true, force: true });
  });

  it('installs copies, compiled JavaScript, no link into the repository', () => {
    assert.deepEqual(linksIntoRepo(app), []);
    for (const name of PACKAGES) {
      const dir = join(app, 'node_modules', name);
      assert.ok(existsSync(join(dir, 'dist')), `${name} ships dist/`);
      assert.ok(existsSync(join(dir, 'LICENSE')), `${name} ships LICENSE`);
      assert.ok(!existsSync(join(dir, 'node_modules')), `${name} uses the installed @spout packages`);
    }
  });

  it('runs an app on node:http and Express with EventSource and connect() under Node 24 and 22', async () => {
    const runs = [
      [process.execPath, '--no-experimental-strip-types'],
      [node22, '--no-warnings'],
    ] as const;
    for (const [node, flag] of runs) {
      const result = ok(await run(node, [flag, 'node-app.js'], { cwd: app, timeoutMs: 30_000 }), node);
      const output = JSON.parse(result.stdout) as { node: string; eventSource: unknown; connect: unknown };
      assert.deepEqual(output.eventSource, { from: 'spout' });
      assert.deepEqual(output.connect, { from: 'spout' });
    }
    assert.match(ok(await run(node22, ['--version'], { cwd: app }), 'node22').stdout, /^v22\./);
  });

  it("runs each package README's example in the project", async () => {
    for (const name of ['protocol', 'client', 'hub', 'ui']) {
      const file = readmeExample(app, name);
      const result = ok(await run(node22, ['--no-warnings', file], { cwd: app, timeoutMs: 30_000 }), file);
      assert.match(
        result.stdout,
        { protocol: /^price/, client: /connect\(\): price 187.2/, hub: /^Dune$/m, ui: /^200 text\/html/ }[
          name
        ]!,
      );
    }
    const port = await freePort();
    const server = spawn(node22, ['--no-warnings', readmeExample(app, 'server')], {
      cwd: app,
      env: cleanEnv({ PORT: String(port) }),
      stdio: 'pipe',
    });
    const exited = finished(server, 30_000, 'README example of @spout/server');
    await new Promise((resolve) => server.stdout!.once('data', resolve));
    const res = await fetch(`http://127.0.0.1:${port}/events`);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: price')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    server.kill('SIGINT');
    assert.equal((await exited).code, 0);
  });

  it('compiles a strict TypeScript consumer against the published types', async () => {
    const variants = [
      { name: 'nodenext', module: 'nodenext', resolution: 'nodenext', skipLibCheck: false, dom: true },
      { name: 'bundler', module: 'esnext', resolution: 'bundler', skipLibCheck: false, dom: true },
      { name: 'bundler-skip', module: 'preserve', resolution: 'bundler', skipLibCheck: true, dom: true },
      { name: 'node-only', module: 'nodenext', resolution: 'nodenext', skipLibCheck: false, dom: false },
      { name: 'node-only-skip', module: 'nodenext', resolution: 'nodenext', skipLibCheck: true, dom: false },
    ];
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    const results = await Promise.all(
      variants.map((variant) => {
        const config = {
          compilerOptions: {
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            target: 'es2023',
            module: variant.module,
            moduleResolution: variant.resolution,
            lib: variant.dom ? ['es2023', 'dom', 'dom.iterable'] : ['es2023'],
            types: ['node'],
            skipLibCheck: variant.skipLibCheck,
            noEmit: true,
          },
          files: variant.dom ? ['consumer.ts', 'consumer-node.ts'] : ['consumer-node.ts'],
        };
        writeFileSync(join(app, `tsconfig.${variant.name}.json`), JSON.stringify(config));
        return run(process.execPath, [tsc, '-p', `tsconfig.${variant.name}.json`], {
          cwd: app,
          timeoutMs: 90_000,
        });
      }),
    );
    for (const [i, result] of results.entries()) ok(result, `tsc (${variants[i]!.name})`);
  });

  it('bundles the client for the browser with esbuild and runs it in Chromium', async () => {
    const esbuild = join(app, 'node_modules', 'esbuild', 'bin', 'esbuild');
    const bundleArgs = [
      'browser-entry.js',
      '--bundle',
      '--format=esm',
      '--platform=browser',
      '--outfile=bundle.js',
    ];
    ok(await run(esbuild, bundleArgs, { cwd: app }), 'esbuild');
    const server = spawn(process.execPath, ['browser-server.js'], {
      cwd: app,
      env: cleanEnv(),
      stdio: 'pipe',
    });
    const exited = finished(server, 60_000, 'browser-server.js');
    // Listening before Chromium starts: the server prints its URL while the browser launches.
    const printed = new Promise<string>((resolve) =>
      server.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())),
    );
    const browser = await launchChromium();
    try {
      const url = await printed;
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => 'spoutResult' in globalThis, undefined, { timeout: 15_000 });
      const result = await page.evaluate(() => (globalThis as { spoutResult?: unknown }).spoutResult);
      assert.deepEqual(result, { eventSource: { from: 'spout' }, connect: { from: 'spout' } });
    } finally {
      await browser.close();
      server.kill('SIGTERM');
    }
    assert.equal((await exited).code, 0);
  });

  it('runs `npx spout` from the fresh project, with no build step at run time', async () => {
    const env = cleanEnv({ PATH: `${join(app, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` });
    const help = ok(
      await run('npx', ['--no-install', 'spout', 'hub', '--help'], { cwd: app, env }),
      'npx spout',
    );
    assert.match(help.stdout, /--jwt-key/);
  });

  it('runs the installed spout hub: publish, subscribe, UI, graceful exit 0 on SIGTERM', async () => {
    const hub = await startHub(app);
    try {
      const page = await fetch(`${hub.origin}/ui/`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /<script type="module"/);
      const topic = 'https://example.com/books/1';
      const sub = spawn(join(app, 'node_modules', '.bin', 'spout'), ['sub', hub.url, '--topic', topic], {
        cwd: app,
        env: hub.env,
        stdio: 'pipe',
      });
      const subExit = finished(sub, 30_000, 'spout sub');
      const line = new Promise<string>((resolve) =>
        sub.stdout!.once('data', (chunk: Buffer) => resolve(`${chunk}`)),
      );
      // The subscription may not be open yet: publish until the subscriber prints the update.
      let received: string | undefined;
      void line.then((text) => (received = text));
      for (let i = 0; received === undefined && i < 50; i++) {
        const pubArgs = ['pub', hub.url, '--topic', topic, '--data', 'Dune', '--token', hub.token];
        ok(
          await run(join(app, 'node_modules', '.bin', 'spout'), pubArgs, { cwd: app, env: hub.env }),
          'spout pub',
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal((JSON.parse(received ?? '{}') as { data?: string }).data, 'Dune');
      sub.kill('SIGTERM');
      await subExit;
    } finally {
      const exit = await stopHub(hub);
      assert.deepEqual(exit, { code: 0, signal: null });
    }
  });
});
