import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  EventEncodingError,
  encodeComment,
  encodeCommentBytes,
  encodeEvent,
  encodeEventBytes,
} from './encode.ts';

describe('encodeEvent', () => {
  test('writes id, event, retry and data lines, then the blank line that dispatches', () => {
    assert.equal(
      encodeEvent({ id: '7', event: 'price', retry: 2500, data: 'hello' }),
      'id: 7\nevent: price\nretry: 2500\ndata: hello\n\n',
    );
  });

  test('writes one data line per line of the payload, splitting on LF, CRLF and CR', () => {
    assert.equal(encodeEvent({ data: 'a\nb\r\nc\rd' }), 'data: a\ndata: b\ndata: c\ndata: d\n\n');
  });

  test('keeps blank lines of the payload, leading and trailing ones included', () => {
    assert.equal(encodeEvent({ data: '\na\n\n' }), 'data: \ndata: a\ndata: \ndata: \n\n');
  });

  test('an empty payload is one empty data line, so the event is still dispatched', () => {
    assert.equal(encodeEvent({ data: '' }), 'data: \n\n');
  });

  test('without data no data line is written (the event only sets the id or retry)', () => {
    assert.equal(encodeEvent({ id: '9' }), 'id: 9\n\n');
  });

  test('an empty id is written, because it resets the client last event ID', () => {
    assert.equal(encodeEvent({ id: '', data: 'x' }), 'id: \ndata: x\n\n');
  });

  test('an absent or empty event type is left out (the client uses "message")', () => {
    assert.equal(encodeEvent({ event: '', data: 'x' }), 'data: x\n\n');
  });

  test('keeps a leading space of the payload (the parser strips only the one after the colon)', () => {
    assert.equal(encodeEvent({ data: ' indented' }), 'data:  indented\n\n');
  });

  for (const [field, value] of [
    ['id', 'a\nb'],
    ['id', 'a\rb'],
    ['event', 'x\r\ny'],
    ['event', '\n'],
  ] as const) {
    test(`rejects a line break in ${field} (${JSON.stringify(value)}) and names the field`, () => {
      assert.throws(
        () => encodeEvent({ [field]: value, data: 'x' }),
        (error: unknown) =>
          error instanceof EventEncodingError &&
          error.field === field &&
          error.message.includes(`"${field}"`) &&
          error.message.includes('line break'),
      );
    });
  }

  test('rejects a NUL in id, because clients ignore such an id', () => {
    assert.throws(
      () => encodeEvent({ id: 'a\0b' }),
      (error: unknown) =>
        error instanceof EventEncodingError && error.field === 'id' && /NUL/.test(error.message),
    );
  });

  for (const retry of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
    test(`rejects retry ${retry}: it must be a non-negative integer`, () => {
      assert.throws(
        () => encodeEvent({ retry }),
        (error: unknown) => error instanceof EventEncodingError && error.field === 'retry',
      );
    });
  }

  test('accepts retry 0', () => {
    assert.equal(encodeEvent({ retry: 0 }), 'retry: 0\n\n');
  });
});

describe('encodeEventBytes', () => {
  test('is the UTF-8 encoding of encodeEvent', () => {
    const fields = { id: 'é', data: 'Tōkyō 東京 🚀' };
    assert.deepEqual(encodeEventBytes(fields), new TextEncoder().encode(encodeEvent(fields)));
  });
});

describe('encodeComment', () => {
  test('writes a comment line', () => {
    assert.equal(encodeComment('ping'), ': ping\n');
  });

  test('an empty comment is a lone colon (the smallest keep-alive)', () => {
    assert.equal(encodeComment(), ':\n');
  });

  test('a multi-line text becomes one comment line per line, so no line escapes as a field', () => {
    assert.equal(encodeComment('a\ndata: b'), ': a\n: data: b\n');
  });

  test('bytes variant is the UTF-8 encoding', () => {
    assert.deepEqual(encodeCommentBytes('ü'), new TextEncoder().encode(': ü\n'));
  });
});
