/** maxBufferSize, as eventsource-parser documents it: a cap on the unfinished line plus the event's data. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser, type ParseError } from './index.ts';

function limited(maxBufferSize: number) {
  const errors: ParseError[] = [];
  const events: string[] = [];
  const parser = createParser({
    maxBufferSize,
    onError: (e) => errors.push(e),
    onEvent: (e) => events.push(e.data),
  });
  return { parser, errors, events };
}

const TERMINATED =
  'Cannot feed parser: it was terminated after exceeding the configured max buffer size. Call `reset()` to resume parsing.';

test('an unfinished line past maxBufferSize reports max-buffer-size-exceeded and feed() throws until reset()', () => {
  const { parser, errors, events } = limited(10);
  parser.feed('data: 0123');
  assert.equal(errors.length, 0);
  parser.feed('4567');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.type, 'max-buffer-size-exceeded');
  assert.equal(errors[0]?.message, 'Buffered data exceeded max buffer size of 10 characters');
  assert.throws(() => parser.feed('\n\n'), { message: TERMINATED });
  parser.reset();
  parser.feed('data: ok\n\n');
  assert.deepEqual(events, ['ok']);
});

test('event data past maxBufferSize terminates the parser, even within one chunk', () => {
  const { parser, errors, events } = limited(5);
  parser.feed('data: 123\ndata: 456\n\ndata: late\n\n');
  assert.deepEqual(
    errors.map((e) => e.type),
    ['max-buffer-size-exceeded'],
  );
  assert.deepEqual(events, []);
  assert.throws(() => parser.feed('\n'), { message: TERMINATED });
});

test('a stream within maxBufferSize is parsed as without it', () => {
  const { parser, errors, events } = limited(64);
  for (let i = 0; i < 100; i++) parser.feed(`data: ${i}\n\n`);
  assert.equal(errors.length, 0);
  assert.equal(events.length, 100);
});

test('a data line completed across chunks past maxBufferSize stops the parser before the rest of its chunk', () => {
  const reports: string[] = [];
  const { feed } = createParser({
    maxBufferSize: 10,
    onError: (e) => reports.push(e.type),
    onComment: (comment) => reports.push(comment),
  });
  feed('data: 1');
  feed('2345678901\n: after\n');
  assert.deepEqual(reports, ['max-buffer-size-exceeded']);
});
