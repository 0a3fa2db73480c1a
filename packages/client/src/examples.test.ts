import assert from 'node:assert/strict';
import { it } from 'node:test';
import { main } from '../examples/quickstart.ts';

it('the README quickstart runs and prints what it promises', async () => {
  const lines: string[] = [];
  await main((line) => lines.push(line));
  assert.deepEqual(lines, [
    'EventSource message "hello" (id 1)',
    'EventSource price {"symbol":"ACME","value":42.5} (id 2)',
    'EventSource message "hello" (id 3)',
    'EventSource price {"symbol":"ACME","value":42.5} (id 4)',
    'connect message hello',
    'connect price ACME 42.50 (id 2)',
    'connect failed: http-status 401 token expired',
  ]);
});
