/**
 * Where Spout's compatible API and eventsource-parser differ, each pinned against the original so that a
 * change on either side shows up here (docs/migrating.md, "From eventsource-parser", says why for each).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser as createOriginal } from 'eventsource-parser';
import { createParser } from './parse.ts';
import { record } from './testing/record.ts';

test('difference: the UTF-8 bytes of a BOM read as Latin-1 text are characters of the first line, not a BOM', () => {
  const text = '\xEF\xBB\xBFdata: a\n\n';
  assert.deepEqual(record(createOriginal, [text]), [
    ['event', { id: undefined, event: undefined, data: 'a' }],
  ]);
  const reports = record(createParser, [text]);
  assert.equal(reports[0]?.[0], 'error');
  assert.equal(reports.length, 1);
});

test('difference: an unknown line is reported however the stream is chunked', () => {
  const chunks = ['hel', 'lo\n'];
  assert.deepEqual(record(createOriginal, chunks), []);
  assert.deepEqual(record(createParser, chunks), record(createParser, ['hello\n']));
});

test('difference: reset({ consume: true }) reports an unfinished line that cannot be a field', () => {
  const types = (create: typeof createParser) => {
    const seen: string[] = [];
    const parser = create({ onError: (error) => seen.push(error.type) });
    parser.feed('<html>');
    parser.reset({ consume: true });
    return seen;
  };
  assert.deepEqual(types(createOriginal), []);
  assert.deepEqual(types(createParser), ['unknown-field']);
});

test('difference: an unfinished line that cannot be a field counts toward maxBufferSize', () => {
  const chunks = ['<html>', '<body>'];
  assert.deepEqual(record(createOriginal, chunks, { maxBufferSize: 8 }), []);
  assert.deepEqual(record(createParser, chunks, { maxBufferSize: 8 }), [
    [
      'error',
      { type: 'max-buffer-size-exceeded', message: 'Buffered data exceeded max buffer size of 8 characters' },
    ],
  ]);
});

test('difference: the data of a one-line event counts toward maxBufferSize whatever its line ends', () => {
  const exceeded = [
    [
      'error',
      { type: 'max-buffer-size-exceeded', message: 'Buffered data exceeded max buffer size of 1 characters' },
    ],
  ];
  assert.deepEqual(record(createOriginal, ['data: aa\r\n\r\n'], { maxBufferSize: 1 }), exceeded);
  assert.deepEqual(record(createOriginal, ['data: aa\n\n'], { maxBufferSize: 1 }), [
    ['event', { id: undefined, event: undefined, data: 'aa' }],
  ]);
  assert.deepEqual(record(createParser, ['data: aa\n\n'], { maxBufferSize: 1 }), exceeded);
});
