/**
 * Each behaviour eventsource-parser documents (README and type docs of v3/v4), pinned on Spout's
 * compatible API. differential.test.ts checks the same against the original on generated streams.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser, ParseError } from './index.ts';
import { record, split } from './testing/record.ts';

const parse = (text: string, maxBufferSize?: number) => record(createParser, [text], { maxBufferSize });
const event = (data: string, id?: string, type?: string) => ['event', { id, event: type, data }];

test('an event carries its data, and its id and event type when it set them', () => {
  assert.deepEqual(parse('id: 7\nevent: price\ndata: 42\n\n'), [['id', '7'], event('42', '7', 'price')]);
});

test('id and event are undefined when the event has none, not "message" or the previous id', () => {
  assert.deepEqual(parse('id: 1\ndata: a\n\ndata: b\n\n'), [['id', '1'], event('a', '1'), event('b')]);
});

test('an empty event field leaves the type undefined', () => {
  assert.deepEqual(parse('event:\ndata: x\n\n'), [event('x')]);
});

test('an empty id field is reported as an empty string', () => {
  assert.deepEqual(parse('id:\ndata: x\n\n'), [['id', ''], event('x', '')]);
});

test('an id containing NUL is ignored; the last valid id of the block counts', () => {
  assert.deepEqual(parse('id: a\nid: b\0c\ndata: x\n\n'), [['id', 'a'], event('x', 'a')]);
});

test('onId is called for a block without data, and no event is dispatched', () => {
  assert.deepEqual(parse('id: 3\n\n'), [['id', '3']]);
});

test('data lines are joined with LF; an empty data line counts', () => {
  assert.deepEqual(parse('data: a\ndata:\ndata: b\n\n'), [event('a\n\nb')]);
});

test('a block without data dispatches nothing', () => {
  assert.deepEqual(parse('event: x\n\n'), []);
});

test('a retry field of ASCII digits calls onRetry with the number', () => {
  assert.deepEqual(parse('retry: 2500\n\n'), [['retry', 2500]]);
});

test('an invalid retry reaches onError as invalid-retry with its value and line, not onRetry', () => {
  const reports = parse('retry: 1.5\n');
  assert.deepEqual(reports, [
    [
      'error',
      { type: 'invalid-retry', message: 'Invalid `retry` value: "1.5"', value: '1.5', line: 'retry: 1.5' },
    ],
  ]);
});

test('an unknown field reaches onError as unknown-field with field, value and line', () => {
  assert.deepEqual(parse('foo: bar\n'), [
    [
      'error',
      { type: 'unknown-field', message: 'Unknown field "foo"', field: 'foo', value: 'bar', line: 'foo: bar' },
    ],
  ]);
});

test('a line without a colon is a field named by the whole line, with an empty value', () => {
  assert.deepEqual(parse('hello\n'), [
    [
      'error',
      { type: 'unknown-field', message: 'Unknown field "hello"', field: 'hello', value: '', line: 'hello' },
    ],
  ]);
});

test('an unknown field name longer than 20 characters is cut in the message, not in the error', () => {
  const name = 'x'.repeat(25);
  const errors: { message: string; field?: string | undefined }[] = [];
  createParser({ onError: (error) => errors.push(error) }).feed(`${name}:v\n`);
  const [error] = errors;
  assert.equal(error?.message, `Unknown field "${'x'.repeat(20)}…"`);
  assert.equal(error?.field, name);
});

test('errors are ParseError instances named ParseError', () => {
  const errors: ParseError[] = [];
  createParser({ onError: (error) => errors.push(error) }).feed('nope\n');
  assert.ok(errors[0] instanceof ParseError);
  assert.ok(errors[0] instanceof Error);
  assert.equal(errors[0].name, 'ParseError');
});

test('a comment is reported with one leading space removed', () => {
  assert.deepEqual(parse(': hi\n:  two\n:x\n'), [
    ['comment', 'hi'],
    ['comment', ' two'],
    ['comment', 'x'],
  ]);
});

test('lines may end with LF, CR or CRLF, mixed in one stream', () => {
  assert.deepEqual(parse('data: a\r\rdata: b\r\n\r\ndata: c\n\n'), [event('a'), event('b'), event('c')]);
});

test('a CRLF split across two chunks is one line end', () => {
  assert.deepEqual(record(createParser, ['data: a\r', '\n', '\r\n']), [event('a')]);
});

test('a CR at the end of a chunk ends its line at once', () => {
  assert.deepEqual(record(createParser, ['data: a\r\r']), [event('a')]);
});

test('a leading byte order mark is ignored, even alone in the first chunk', () => {
  assert.deepEqual(record(createParser, ['', '\uFEFF', 'data: a\n\n']), [event('a')]);
});

test('a byte order mark after the start of the stream is part of the line', () => {
  const reports = parse('data: a\n\n\uFEFFdata: b\n\n');
  assert.deepEqual(reports[0], event('a'));
  assert.equal(reports[1]?.[0], 'error');
});

test('the result does not depend on how the stream is cut into chunks', () => {
  const stream = '\uFEFFid: 1\r\nevent: e\rdata: é😀\n: c\nretry: 5\nx: y\n\ndata: z\r\n\r\n';
  const whole = parse(stream);
  for (const size of [1, 2, 3, 7]) assert.deepEqual(record(createParser, split(stream, size)), whole);
});

test('feed and reset work when destructured from the parser', () => {
  const events: string[] = [];
  const { feed, reset } = createParser({ onEvent: (e) => events.push(e.data) });
  feed('data: lost');
  reset();
  feed('data: kept\n\n');
  assert.deepEqual(events, ['kept']);
});

test('reset() discards the unfinished event and expects a byte order mark again', () => {
  const { feed, reset } = createParser({ onEvent: () => assert.fail('no event expected') });
  feed('data: a\n');
  reset();
  feed('\uFEFF\n');
});

test('reset({ consume: true }) parses the unfinished line, reporting it, without dispatching', () => {
  const reports: unknown[] = [];
  const parser = createParser({
    onEvent: (e) => reports.push(e),
    onError: (error) => reports.push(error.type),
    onComment: (text) => reports.push(text),
  });
  parser.feed('data: x\n<html>');
  parser.reset({ consume: true });
  parser.feed(': after');
  parser.reset({ consume: true });
  assert.deepEqual(reports, ['unknown-field', 'after']);
});

test('passing a function instead of an options object throws a TypeError that says what to write', () => {
  assert.throws(() => createParser((() => {}) as never), {
    name: 'TypeError',
    message:
      '`config` must be an object, got a function instead. Did you mean `createParser({onEvent: fn})`?',
  });
});
