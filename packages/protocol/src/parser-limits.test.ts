import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError } from './parse-error.ts';
import { createParser, DEFAULT_MAX_EVENT_SIZE, type ParsedEvent } from './parser.ts';
import { describeEachPath, message } from './testing/parser.ts';

function limitedParser(maxEventSize: number) {
  const events: ParsedEvent[] = [];
  const errors: ParseError[] = [];
  const parser = createParser({
    maxEventSize,
    onEvent: (event) => events.push(event),
    onError: (error) => errors.push(error),
  });
  return { parser, events, errors };
}

describeEachPath('maxEventSize', () => {
  test('defaults to 4 MiB', () => {
    assert.equal(DEFAULT_MAX_EVENT_SIZE, 4 * 1024 * 1024);
  });

  test('an event within the cap is dispatched', () => {
    const { parser, events, errors } = limitedParser(16);
    parser.feed('data: 0123456789\n\n');
    assert.deepEqual(events, [message('0123456789')]);
    assert.deepEqual(errors, []);
  });

  test('an event whose data lines exceed the cap is dropped and reported once', () => {
    const { parser, events, errors } = limitedParser(16);
    parser.feed('data: 0123456789\ndata: 0123456789\ndata: more\n\n');
    assert.deepEqual(events, []);
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof ParseError);
    assert.equal(errors[0].code, 'event-too-large');
    assert.match(errors[0].message, /maxEventSize \(16 bytes\)/);
  });

  test('parsing resumes with the next event after a dropped one', () => {
    const { parser, events } = limitedParser(16);
    parser.feed('data: 0123456789abcdefghij\n\ndata: next\n\n');
    assert.deepEqual(events, [message('next')]);
  });

  test('an unfinished line longer than the cap is not buffered: its bytes are skipped to its line end', () => {
    const { parser, events, errors } = limitedParser(64);
    parser.feed('data: ');
    for (let i = 0; i < 10_000; i++) parser.feed('x'.repeat(100));
    parser.feed('\n\ndata: after\n\n');
    assert.deepEqual(events, [message('after')]);
    assert.equal(errors.length, 1);
  });

  test('a skipped line ending in CR split from its LF does not dispatch early', () => {
    const { parser, events } = limitedParser(8);
    parser.feed('data: 0123456789');
    parser.feed('\r');
    parser.feed('\ndata: a\n\n');
    assert.deepEqual(events, []);
  });

  test('an id line of a dropped event still moves the last event ID, so a reconnect does not fetch it again', () => {
    const { parser } = limitedParser(8);
    parser.feed('id: 7\ndata: 0123456789\n\n');
    assert.equal(parser.lastEventId, '7');
  });

  test('without onError, feed() throws the ParseError after processing the whole chunk', () => {
    const events: ParsedEvent[] = [];
    const parser = createParser({ maxEventSize: 8, onEvent: (event) => events.push(event) });
    assert.throws(() => parser.feed('data: 0123456789\n\ndata: ok\n\n'), ParseError);
    assert.deepEqual(events, [message('ok')]);
    parser.feed('data: again\n\n');
    assert.deepEqual(events, [message('ok'), message('again')]);
  });

  test('rejects a cap that is not a positive integer', () => {
    assert.throws(() => createParser({ maxEventSize: 0 }), RangeError);
    assert.throws(() => createParser({ maxEventSize: 1.5 }), /positive integer/);
  });
});
