import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser } from './parser.ts';
import { chunkBytes, describeEachPath, message, parseChunks, parseText } from './testing/parser.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

describeEachPath('[spec] byte order mark', () => {
  test('one leading UTF-8 BOM is stripped at the start of the stream', () => {
    assert.deepEqual(parseChunks([new Uint8Array([0xef, 0xbb, 0xbf]), utf8('data: x\n\n')]).events, [
      message('x'),
    ]);
  });

  test('a BOM split across chunks is still stripped', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('data: x\n\n')]);
    assert.deepEqual(parseChunks(chunkBytes(bytes, 1)).events, [message('x')]);
  });

  test('a BOM given as text (U+FEFF) is stripped too', () => {
    assert.deepEqual(parseText('\uFEFFdata: x\n\n').events, [message('x')]);
  });

  test('only one BOM is stripped: a second one starts the field name, so the field is unknown', () => {
    assert.deepEqual(parseText('\uFEFF\uFEFFdata: x\n\n').events, []);
  });

  test('a BOM after the start of the stream is kept as data', () => {
    assert.deepEqual(parseText('data: a\n\ndata: \uFEFFb\n\n').events, [message('a'), message('\uFEFFb')]);
  });

  test('bytes that only begin like a BOM are ordinary input', () => {
    const bytes = new Uint8Array([0xef, 0xbb, ...utf8('\ndata: x\n\n')]);
    const { events } = parseChunks(chunkBytes(bytes, 1));
    assert.deepEqual(events, [message('x')]);
  });
});

describeEachPath('[spec] line endings', () => {
  for (const [name, eol] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    test(`lines may end with ${name}`, () => {
      const stream = `event: e${eol}data: a${eol}data: b${eol}${eol}`;
      assert.deepEqual(parseText(stream).events, [message('a\nb', 'e')]);
    });
  }

  test('a stream may mix CR, LF and CRLF', () => {
    assert.deepEqual(parseText('data: a\rdata: b\ndata: c\r\n\r').events, [message('a\nb\nc')]);
  });

  test('CRLF split across two chunks is one line end, not an empty line', () => {
    const { events } = parseChunks(['data: a\r', '\ndata: b\r', '\n\r\n']);
    assert.deepEqual(events, [message('a\nb')]);
  });

  test('a CR at the end of a chunk dispatches at once, without waiting for more bytes', () => {
    const events: unknown[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed('data:x\r\r');
    assert.deepEqual(events, [message('x')]);
  });

  test('a LF after a chunk-final CR that ended a blank line is a new empty line', () => {
    // "data:a\r" "\r" "\n" "\n": CR ends the data line, CR (blank) dispatches, LF pairs with it, LF blank again.
    const { events } = parseChunks(['data:a\r', '\r', '\n', 'data:b\n', '\n']);
    assert.deepEqual(events, [message('a'), message('b')]);
  });

  test('every split of the stream into two chunks gives the same events', () => {
    const stream = utf8('id: 1\r\nevent: e\r\ndata: é\r\n\r\n: c\rdata: 東京\r\rdata: z\n\n');
    const whole = parseChunks([stream]).events;
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(
        parseChunks([stream.subarray(0, cut), stream.subarray(cut)]).events,
        whole,
        `cut at ${cut}`,
      );
    }
  });
});

describeEachPath('[spec] fields', () => {
  test('field and value split at the first colon; later colons belong to the value', () => {
    assert.deepEqual(parseText('data: a:b: c\n\n').events, [message('a:b: c')]);
  });

  test('one leading space of the value is removed, and only one', () => {
    assert.deepEqual(parseText('data:  two\ndata:none\n\n').events, [message(' two\nnone')]);
  });

  test('a line with no colon is a field with an empty value', () => {
    assert.deepEqual(parseText('data\ndata\n\n').events, [message('\n')]);
  });

  test('a line starting with a colon is a comment, reported without its leading space', () => {
    const { events, comments } = parseText(': keep-alive\n:raw\n\n');
    assert.deepEqual(comments, ['keep-alive', 'raw']);
    assert.deepEqual(events, []);
  });

  test('unknown fields are ignored', () => {
    assert.deepEqual(parseText('foo: bar\ndatum: x\nData: y\ndata: z\n\n').events, [message('z')]);
  });

  test('field names are case-sensitive', () => {
    assert.deepEqual(parseText('DATA: x\nEvent: e\n\n').events, []);
  });
});

describeEachPath('[spec] data and dispatch', () => {
  test('data lines are joined by LF, and the final LF is removed', () => {
    assert.deepEqual(parseText('data: a\ndata:\ndata: b\n\n').events, [message('a\n\nb')]);
  });

  test('an empty line with no data dispatches nothing', () => {
    assert.deepEqual(parseText('\n\nevent: e\n\nid: 1\n\n').events, []);
  });

  test('an empty data line dispatches an event with empty data', () => {
    assert.deepEqual(parseText('data:\n\n').events, [message('')]);
  });

  test('the event type is "message" by default', () => {
    assert.equal(parseText('data: x\n\n').events[0]?.type, 'message');
  });

  test('an event line sets the type of that event only', () => {
    assert.deepEqual(parseText('event: a\ndata: 1\n\ndata: 2\n\n').events, [message('1', 'a'), message('2')]);
  });

  test('an empty event line resets the type to "message"', () => {
    assert.deepEqual(parseText('event: a\nevent:\ndata: 1\n\n').events, [message('1')]);
  });

  test('a pending event at the end of the stream is discarded', () => {
    const { events } = parseText('data: complete\n\ndata: incomplete\n');
    assert.deepEqual(events, [message('complete')]);
  });

  test('reset() discards the unfinished line and event of the previous stream', () => {
    const events: unknown[] = [];
    const parser = createParser({ onEvent: (event) => events.push(event) });
    parser.feed('data: half');
    parser.reset();
    parser.feed('\n\ndata: new\n\n');
    assert.deepEqual(events, [message('new')]);
  });

  test('invalid UTF-8 becomes U+FFFD, and a code point split across chunks is decoded whole', () => {
    const bytes = new Uint8Array([...utf8('data: '), 0xff, 0xe6, 0x9d, 0xb1, ...utf8('\n\n')]);
    assert.deepEqual(parseChunks(chunkBytes(bytes, 1)).events, [message('\uFFFD東')]);
  });
});

describeEachPath('[spec] last event ID', () => {
  test('an id line sets the last event ID of the dispatched event', () => {
    assert.deepEqual(parseText('id: 42\ndata: x\n\n').events, [message('x', 'message', '42')]);
  });

  test('the last event ID persists across events until an id line changes it', () => {
    const { events } = parseText('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n');
    assert.deepEqual(
      events.map((event) => event.lastEventId),
      ['1', '1', '2'],
    );
  });

  test('an empty id line resets the last event ID', () => {
    const { events, lastEventId } = parseText('id: 1\ndata: a\n\nid\ndata: b\n\n');
    assert.deepEqual(
      events.map((event) => event.lastEventId),
      ['1', ''],
    );
    assert.equal(lastEventId, '');
  });

  test('an id containing NUL is ignored', () => {
    const { events } = parseText('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n');
    assert.deepEqual(
      events.map((event) => event.lastEventId),
      ['1', '1'],
    );
  });

  test('the parser exposes the persisted last event ID, set even by an event without data', () => {
    const parser = createParser();
    parser.feed('id: 5\n\n');
    assert.equal(parser.lastEventId, '5');
  });

  test('an id in an event that never completes does not change the last event ID', () => {
    const parser = createParser();
    parser.feed('id: 1\n\nid: 2\ndata: x\n');
    assert.equal(parser.lastEventId, '1');
  });

  test('reset() keeps the last event ID for the reconnection, unless one is given', () => {
    const parser = createParser({ lastEventId: 'start' });
    assert.equal(parser.lastEventId, 'start');
    parser.feed('id: 3\n\n');
    parser.reset();
    assert.equal(parser.lastEventId, '3');
    parser.reset({ lastEventId: '' });
    assert.equal(parser.lastEventId, '');
  });

  test('non-ASCII ids round-trip', () => {
    assert.equal(parseText('id: évé-東京\n\n').lastEventId, 'évé-東京');
  });
});

describeEachPath('[spec] retry', () => {
  test('a retry of only ASCII digits sets the reconnection time', () => {
    assert.deepEqual(parseText('retry: 2500\n').retries, [2500]);
  });

  for (const value of ['', ' 1', '1.5', '-1', '1e3', '12a', '٣']) {
    test(`retry ${JSON.stringify(value)} is not all ASCII digits and is ignored`, () => {
      assert.deepEqual(parseText(`retry: ${value}\n`).retries, []);
    });
  }

  test('retry alone does not dispatch an event', () => {
    assert.deepEqual(parseText('retry: 10\n\n').events, []);
  });

  test("an event carries its own block's valid retry value, and only that event", () => {
    const { events } = parseText('retry: 50\ndata: a\n\ndata: b\n\nretry: 7\n\ndata: c\nretry: x\n\n');
    assert.deepEqual(
      events.map((event) => [event.data, event.retry]),
      [
        ['a', 50],
        ['b', undefined],
        ['c', undefined],
      ],
    );
  });
});
