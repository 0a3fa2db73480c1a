/**
 * The same generated streams through Spout's compatible API and through eventsource-parser itself:
 * identical reports (events, ids, retries, comments, errors), except for the differences
 * docs/migrating.md lists (pinned one by one in differences.test.ts), which the generator avoids.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser as createOriginal } from 'eventsource-parser';
import fc from 'fast-check';
import { createParser } from './parse.ts';
import { type Report, record } from './testing/record.ts';
import { stream, value } from './testing/streams.ts';

/** Documented difference: a line eventsource-parser has discarded before its end is not reported there. */
const withoutErrors = (reports: Report[]) => reports.filter(([kind]) => kind !== 'error');

test('a whole stream gives the same reports as eventsource-parser, errors included', () => {
  fc.assert(
    fc.property(stream, (text) => {
      assert.deepEqual(record(createParser, [text]), record(createOriginal, [text]));
    }),
    { numRuns: 3000 },
  );
});

test('a stream in random chunks gives the same events, ids, retries and comments as eventsource-parser', () => {
  fc.assert(
    fc.property(stream, fc.array(fc.nat(), { maxLength: 10 }), (text, cuts) => {
      const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
      const chunks = [0, ...points].map((from, i) => text.slice(from, points[i] ?? text.length));
      assert.deepEqual(
        withoutErrors(record(createParser, chunks)),
        withoutErrors(record(createOriginal, chunks)),
      );
    }),
    { numRuns: 3000 },
  );
});

/**
 * CRLF line ends only: eventsource-parser skips the check for a one-line event followed at once by LF LF
 * (a documented difference, in differences.test.ts).
 */
test('under maxBufferSize, a stream of valid CRLF lines terminates where eventsource-parser does', () => {
  const validLine = fc
    .tuple(
      fc.constantFrom('data', 'event', 'id', 'retry', ''),
      fc.constantFrom(':', ': '),
      value,
      fc.constantFrom('\r\n', '\r\n\r\n'),
    )
    .map(([field, separator, text, end]) => field + separator + text.replace(/[\r\n]/g, '') + end);
  fc.assert(
    fc.property(
      fc.array(validLine, { maxLength: 12 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 30 }),
      (lines, size, max) => {
        const text = lines.join('');
        const chunks = text.match(new RegExp(`[^]{1,${size}}`, 'g')) ?? [];
        assert.deepEqual(
          record(createParser, chunks, { maxBufferSize: max }),
          record(createOriginal, chunks, { maxBufferSize: max }),
        );
      },
    ),
    { numRuns: 3000 },
  );
});
