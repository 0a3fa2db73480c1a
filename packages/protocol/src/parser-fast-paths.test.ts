/**
 * The parser's fast paths (in-place id and event scans, the event type cache, CR-free
 * text, small copies, windows over large input, state kept in locals) checked against
 * a literal, slow reading of the spec: any divergence on any input is a bug.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createParser, type ParsedEvent } from './parser.ts';
import {
  type Collected,
  chunkBytes,
  describeEachPath,
  message,
  parseChunks,
  parseText,
} from './testing/parser.ts';

/** [spec] WHATWG HTML 9.2.6, step by step on the whole decoded stream, with no shortcuts. */
function referenceParse(bytes: Uint8Array): Collected {
  // [spec] the stream is decoded with UTF-8 decode, which drops one leading BOM.
  const text = new TextDecoder().decode(bytes);
  const events: ParsedEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  let data = '';
  let type = '';
  let idBuffer = '';
  let lastEventId = '';
  let retry: number | undefined;
  let position = 0;
  for (;;) {
    let end = position;
    while (end < text.length && text[end] !== '\r' && text[end] !== '\n') end++;
    // [spec] an incomplete last line is never processed.
    if (end === text.length) break;
    const line = text.slice(position, end);
    position = text[end] === '\r' && text[end + 1] === '\n' ? end + 2 : end + 1;
    if (line === '') {
      lastEventId = idBuffer;
      const event: ParsedEvent = { type: type || 'message', data: data.slice(0, -1), lastEventId };
      if (retry !== undefined) event.retry = retry;
      if (data !== '') events.push(event);
      data = '';
      type = '';
      retry = undefined;
      continue;
    }
    if (line.startsWith(':')) {
      comments.push(line.slice(1).replace(/^ /, ''));
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') type = value;
    else if (field === 'data') data += `${value}\n`;
    else if (field === 'id' && !value.includes('\0')) idBuffer = value;
    else if (field === 'retry' && /^[0-9]+$/.test(value)) {
      retry = Number.parseInt(value, 10);
      retries.push(retry);
    }
  }
  return { events, comments, retries, lastEventId };
}

/** Lines that hit each fast path, and near misses that must not. */
const lineArbitrary = fc.oneof(
  fc.constantFrom(
    '',
    '',
    'event: price',
    'event: price',
    'event:price',
    'event: pric',
    'event: prices',
    'event: ',
    'event:',
    'event',
    'events: price',
    'Event: price',
    'id: 42',
    'id:7',
    'id: ',
    'id:',
    'id',
    'id: a\0b',
    'idx: 1',
    'i: 1',
    'data: {"a":1}',
    'data:',
    'data',
    'dat: x',
    'data : x',
    'data:  two spaces',
    ': heartbeat',
    ':',
    'retry: 1500',
    'retry: 15x',
    'other: field',
  ),
  fc
    .tuple(
      fc.constantFrom('data: ', 'id: ', 'event: ', ': ', 'data:'),
      fc.string({ unit: 'binary', maxLength: 12 }),
    )
    .map(([prefix, value]) => prefix + value.replace(/[\r\n]/g, '')),
);
const lineEnd = fc.constantFrom('\n', '\r', '\r\n');
const streamArbitrary = fc
  .array(fc.tuple(lineArbitrary, lineEnd), { maxLength: 40 })
  .map((lines) => lines.map(([line, eol]) => line + eol).join(''));
const streamOfOneStyle = fc
  .tuple(fc.array(lineArbitrary, { maxLength: 40 }), lineEnd)
  .map(([lines, eol]) => lines.map((line) => line + eol).join(''));

describeEachPath('fast paths agree with a literal reading of the spec (property)', () => {
  test('any mix of fast-path lines, near misses and line endings, in any chunking', () => {
    fc.assert(
      fc.property(
        fc.oneof(streamArbitrary, streamOfOneStyle),
        fc.integer({ min: 1, max: 100 }),
        (stream, size) => {
          const bytes = new TextEncoder().encode(stream);
          const expected = referenceParse(bytes);
          assert.deepEqual(parseChunks([bytes]), expected);
          assert.deepEqual(parseChunks(chunkBytes(bytes, size)), expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  test('input larger than a decoding window, whole or in large chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineArbitrary, lineEnd), { minLength: 200, maxLength: 400 }),
        fc.integer({ min: 25, max: 60 }),
        fc.integer({ min: 1000, max: 70_000 }),
        (lines, repeat, size) => {
          // Repeating a random block gives streams of tens to hundreds of kB cheaply.
          const block = lines.map(([line, eol]) => line + eol).join('');
          const bytes = new TextEncoder().encode(block.repeat(repeat));
          const expected = referenceParse(bytes);
          assert.deepEqual(parseChunks([bytes]), expected);
          assert.deepEqual(parseChunks(chunkBytes(bytes, size)), expected);
        },
      ),
      // Shrinking streams this large takes minutes; a failure is reproduced by the small-stream property instead.
      { numRuns: 40, endOnFailure: true },
    );
  });
});

describeEachPath('fast paths, by example', () => {
  test('the event type cache: a type, a longer one, a prefix of it and the first again', () => {
    const stream = 'event: ab\ndata: 1\n\nevent: abc\ndata: 2\n\nevent: a\ndata: 3\n\nevent: ab\ndata: 4\n\n';
    assert.deepEqual(parseText(stream).events, [
      message('1', 'ab'),
      message('2', 'abc'),
      message('3', 'a'),
      message('4', 'ab'),
    ]);
  });

  test('[spec] an empty event line after a cached type resets the type to "message"', () => {
    assert.deepEqual(parseText('event: t\ndata: 1\n\nevent:\ndata: 2\n\nevent: t\ndata: 3\n\n').events, [
      message('1', 't'),
      message('2'),
      message('3', 't'),
    ]);
  });

  test('[spec] an id scanned in place is ignored when it holds NUL, whatever ends its line', () => {
    for (const eol of ['\n', '\r', '\r\n']) {
      const stream = `id: 1${eol}data: a${eol}${eol}id: 2\0${eol}data: b${eol}${eol}`;
      assert.deepEqual(parseText(stream).events, [
        message('a', 'message', '1'),
        message('b', 'message', '1'),
      ]);
    }
  });

  test('event types in turn, more than the type cache holds, near misses and wide characters, keep their names', () => {
    const types = ['ab', 'ac', 'abc', 'café', 'cafe', '東京', '東', 'x'.repeat(40), 'x'.repeat(39), 'y'];
    for (let i = 0; i < 10; i++) types.push(`type-${i}`);
    const sequence = [...types, ...types.toReversed(), ...types];
    const stream = sequence.map((type, i) => `event: ${type}\ndata: ${i}\n\n`).join('');
    assert.deepEqual(
      parseText(stream).events,
      sequence.map((type, i) => message(String(i), type)),
    );
  });

  test('[spec] a NUL elsewhere in the stream does not make a clean id ignored', () => {
    const stream = 'data: a\0b\nid: 7\n\nid: 8\0\ndata: c\n\n';
    assert.deepEqual(parseText(stream).events, [
      message('a\0b', 'message', '7'),
      message('c', 'message', '7'),
    ]);
  });

  test('a stream with no CR at all, longer than a decoding window', () => {
    const event = 'id: 9\nevent: tick\ndata: {"n":1}\n\n';
    const { events } = parseText(event.repeat(5000));
    assert.equal(events.length, 5000);
    assert.deepEqual(events.at(-1), message('{"n":1}', 'tick', '9'));
  });

  test('[spec] a CR-only stream longer than a decoding window (no LF to cut at)', () => {
    const event = 'data: x\rdata: y\r\r';
    const bytes = new TextEncoder().encode(event.repeat(4000));
    assert.deepEqual(parseChunks([bytes]).events, referenceParse(bytes).events);
    assert.equal(parseChunks([bytes]).events.length, 4000);
  });

  test('a single data line longer than a decoding window', () => {
    const long = 'é'.repeat(100_000);
    assert.deepEqual(parseText(`data: a\n\ndata: ${long}\n\n`).events, [message('a'), message(long)]);
  });

  test('reset() from inside onEvent: the rest of the chunk is parsed from the reset state', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({
      onEvent: (event) => {
        events.push(event);
        if (events.length === 1) parser.reset({ lastEventId: 'r' });
      },
    });
    parser.feed('id: 1\nevent: t\ndata: a\n\ndata: b\n\n');
    assert.deepEqual(events, [message('a', 't', '1'), message('b', 'message', 'r')]);
    assert.equal(parser.lastEventId, 'r');
  });

  test('reset() from inside onComment drops the event being built', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({
      onEvent: (event) => events.push(event),
      onComment: () => parser.reset(),
    });
    parser.feed('id: 5\ndata: lost\n: reset here\ndata: kept\n\n');
    assert.deepEqual(events, [message('kept')]);
  });

  test('lines fed from inside onEvent are parsed at that point of the stream', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({
      onEvent: (event) => {
        events.push(event);
        if (events.length === 1) parser.feed('id: x\ndata: x\n\n');
      },
    });
    parser.feed('data: p\n');
    parser.feed('data: q\n\ndata: r\n\n');
    assert.deepEqual(events, [message('p\nq'), message('x', 'message', 'x'), message('r', 'message', 'x')]);
  });

  test('lines fed from inside onComment are parsed at that point of the stream', () => {
    const events: ParsedEvent[] = [];
    let fed = false;
    const parser = createParser({
      onEvent: (event) => events.push(event),
      onComment: () => {
        if (fed) return;
        fed = true;
        parser.feed('data: x\n\n');
      },
    });
    parser.feed('data: a\n: c\ndata: b\n\n');
    assert.deepEqual(events, [message('a\nx'), message('b')]);
  });

  test('reset() from inside onError, after an oversized data line, is honoured', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({
      maxEventSize: 4,
      onEvent: (event) => events.push(event),
      onError: () => parser.reset({ lastEventId: 'e' }),
    });
    parser.feed('data: 123456\ndata: ok\n\n');
    assert.deepEqual(events, [message('ok', 'message', 'e')]);
  });
});
