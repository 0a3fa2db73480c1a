/**
 * Chunks of 1024 characters or more, parsed a window at a time (windows.ts): the same reports as the
 * same text in small chunks (parse.ts's loop) and as eventsource-parser, wherever a window ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser as createOriginal } from 'eventsource-parser';
import fc from 'fast-check';
import { createParser } from './parse.ts';
import { record, split } from './testing/record.ts';
import { stream } from './testing/streams.ts';
import { WINDOW } from './windows.ts';

/** Pieces small enough for parse.ts's loop. */
const small = (text: string) => split(text, 100);

/** A comment line of `length` characters, its line end included. */
const comment = (length: number) => `:${'x'.repeat(length - 2)}\n`;

test('a chunk of several windows gives the same reports as eventsource-parser, wherever a window ends', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: WINDOW - 120, max: WINDOW }), stream), {
        minLength: 1,
        maxLength: 3,
      }),
      (parts) => {
        // Each comment brings the next generated lines to a window's end.
        const text = parts.map(([length, lines]) => comment(length) + lines).join('');
        assert.deepEqual(record(createParser, [text]), record(createOriginal, [text]));
      },
    ),
    { numRuns: 300 },
  );
});

test('a line end at a window end is read as in small chunks: CRLF stays one line end', () => {
  for (const end of ['\n', '\r', '\r\n']) {
    // Each line end after the comment falls on the last characters of the first window, and past it.
    for (let at = WINDOW - 30; at <= WINDOW + 1; at++) {
      const text = `${comment(at)}data: a${end}${end}data: b${end}id: 1${end}${end}`;
      const whole = record(createParser, [text]);
      assert.deepEqual(whole, record(createParser, small(text)), JSON.stringify({ end, at }));
      assert.equal(whole.filter(([kind]) => kind === 'event').length, 2);
    }
  }
});

test('lines longer than a window are parsed as in small chunks', () => {
  const long = 'é'.repeat(3 * WINDOW);
  const text = `id: ${long}\r\nevent: ${long}\rdata: ${long}\ndata: b\r\n: ${long}\r\n\r\n${long}\n\n`;
  const whole = record(createParser, [text]);
  assert.deepEqual(whole, record(createParser, small(text)));
  assert.deepEqual(whole[0], ['comment', long]);
  assert.deepEqual(whole[1], ['id', long]);
  assert.deepEqual(whole[2], ['event', { id: long, event: long, data: `${long}\nb` }]);
});

test('a parser fed a large chunk from a callback of another large chunk parses it as alone', () => {
  const outer = `data: 0\n\n${'event: e\ndata: outer\n\n'.repeat(100)}`;
  const inner = `${': ping\r\n'.repeat(200)}id: 1\r\ndata: inner\r\n\r\n`;
  const innerAlone = record(createParser, [inner]);
  const innerReports: unknown[] = [];
  const innerParser = createParser({
    onEvent: (event) => innerReports.push(['event', { id: event.id, event: event.event, data: event.data }]),
    onId: (id) => innerReports.push(['id', id]),
    onComment: (text) => innerReports.push(['comment', text]),
  });
  const outerEvents: unknown[] = [];
  createParser({
    onEvent: (event) => {
      outerEvents.push([event.event, event.data]);
      if (outerEvents.length === 1) innerParser.feed(inner);
    },
  }).feed(outer);
  assert.deepEqual(outerEvents, [[undefined, '0'], ...Array(100).fill(['e', 'outer'])]);
  assert.deepEqual(innerReports, innerAlone);
});

test('under maxBufferSize, a large chunk terminates the parser at the same line as small chunks do', () => {
  const text = `${'data: 12345\r\n\r\n'.repeat(200)}data: 1234567890\r\ndata: 123\r\n\r\ndata: late\n\n`;
  const whole = record(createParser, [text], { maxBufferSize: 12 });
  assert.deepEqual(whole, record(createParser, small(text), { maxBufferSize: 12 }));
  assert.equal(whole.length, 201);
  assert.equal(whole.at(-1)?.[0], 'error');
});

test('lone surrogates and NULs in a large chunk reach the reports as they are, as in small chunks', () => {
  const odd = 'a\uD800b\uDFFFc';
  const text = `${`id: x\0y\ndata: ${odd}\n\n`.repeat(60)}id: ${odd}\nevent: ${odd}\ndata: ${odd}\n\n`;
  const whole = record(createParser, [text]);
  assert.deepEqual(whole, record(createParser, small(text)));
  assert.deepEqual(whole.at(-1), ['event', { id: odd, event: odd, data: odd }]);
  // [spec] an id containing U+0000 NULL is ignored.
  assert.deepEqual(whole[0], ['event', { id: undefined, event: undefined, data: odd }]);
});

test('a chunk whose lines turn long part way is read as in small chunks', () => {
  const short = 'id: 7\nevent: tick\ndata: 1\n\n'.repeat(WINDOW / 20);
  const long = `data: ${'é'.repeat(200)}\r\n\r\n`.repeat(WINDOW / 100);
  const text = `${short}${long}${short}${'x'.repeat(WINDOW + 5)}\n${short}`;
  const whole = record(createParser, [text]);
  assert.deepEqual(whole, record(createParser, small(text)));
  assert.deepEqual(whole, record(createOriginal, [text]));
});

test('large chunks of long lines, then of short ones, are read as in small chunks', () => {
  const long = `data: ${'x'.repeat(60)}\n\n`.repeat(2000);
  const short = 'id: 7\r\nevent: tick\r\ndata: 1\r\n\r\n'.repeat(2000);
  const chunks = split(long + short + long, 4096);
  const text = chunks.join('');
  assert.deepEqual(record(createParser, chunks), record(createParser, small(text)));
  assert.deepEqual(record(createParser, chunks), record(createOriginal, chunks));
});
