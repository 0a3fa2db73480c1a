/** The parse example in the package README runs as shown and prints what the README says it prints. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

test('the README parse example prints the events it describes', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /```ts\n(import \{ createParser, encodeEvent \}[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(example, 'the README has the parse example');
  const file = join(mkdtempSync(join(tmpdir(), 'spout-readme-')), 'example.ts');
  writeFileSync(
    file,
    example.replace("'@spout/protocol'", `'${new URL('./index.ts', import.meta.url).href}'`),
  );
  const output = execFileSync(process.execPath, [file], { encoding: 'utf8' });
  assert.equal(
    output,
    [
      'comment hello',
      'reconnect after 2000',
      'price "{\\"AAPL\\":187.2}" 1',
      'message "two\\nlines" 1',
      'resume from 1',
      '',
    ].join('\n'),
  );
});
