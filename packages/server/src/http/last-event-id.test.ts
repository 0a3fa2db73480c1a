import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeHeaderUtf8, readLastEventId } from './last-event-id.ts';

describe('Last-Event-ID request header', () => {
  test('[spec] a browser sends the id as UTF-8: its bytes, read by Node as latin1, decode back to the id', () => {
    for (const id of ['plain-1', 'ид-1', '☃-1', '😀-1', 'café']) {
      assert.equal(decodeHeaderUtf8(Buffer.from(id, 'utf8').toString('latin1')), id);
    }
  });

  test('a header that is not UTF-8 is kept as the latin1 text received', () => {
    assert.equal(decodeHeaderUtf8('caf\u00e9'), 'caf\u00e9');
  });

  test('[spec] the header wins over the query parameter, and an empty header means none', () => {
    assert.equal(readLastEventId('h', '/?last=q', 'last'), 'h');
    assert.equal(readLastEventId('', '/?last=q', 'last'), 'q');
    assert.equal(readLastEventId(undefined, '/', 'last'), undefined);
  });
});
