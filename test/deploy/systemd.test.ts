/**
 * deploy/spout.service passes `systemd-analyze verify` (skipped where systemd-analyze is missing).
 * verify insists that ExecStart's program exists, so the copy checked runs this Node instead of
 * /usr/local/bin/spout, which only a global install creates.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';

const UNIT = join(import.meta.dirname, '..', '..', 'deploy', 'spout.service');
const available = spawnSync('systemd-analyze', ['--version']).status === 0;

it('deploy/spout.service passes systemd-analyze verify', { skip: !available && 'no systemd-analyze' }, () => {
  const unit = readFileSync(UNIT, 'utf8');
  assert.match(unit, /^ExecStart=\/usr\/local\/bin\/spout hub$/m, 'the unit starts spout itself, not npx');
  const dir = mkdtempSync(join(tmpdir(), 'spout-unit-'));
  try {
    const path = join(dir, 'spout.service');
    writeFileSync(path, unit.replace('/usr/local/bin/spout', process.execPath));
    const result = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    // verify also exits 0 on some warnings: none may mention the unit.
    assert.doesNotMatch(result.stderr, /spout\.service/, result.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
