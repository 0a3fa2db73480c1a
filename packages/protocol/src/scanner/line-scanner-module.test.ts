/** The shipped WebAssembly bytes are exactly what line-scanner.wat assembles to. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assembleScanner, generatedModule } from './build-scanner.ts';

test('line-scanner-module.ts is up to date with line-scanner.wat (else: npm run build -w packages/protocol)', async () => {
  const expected = generatedModule(await assembleScanner());
  const actual = readFileSync(new URL('./line-scanner-module.ts', import.meta.url), 'utf8');
  assert.equal(actual, expected);
});
