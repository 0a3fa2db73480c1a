/** Property-based tests: encode then parse round-trips, and arbitrary bytes never break the parser. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeEvent } from './encode.ts';
import { createParser } from './parser.ts';
import { chunkBytes, describeEachPath, parseChunks } from './testing/parser.ts';

const singleLine = fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => !/[\r\n]/.test(s));
const eventArbitrary = fc.record(
  {
    id: singleLine.filter((s) => !s.includes('\0')),
    event: singleLine,
    data: fc.string({ unit: 'binary', maxLength: 60 }),
  },
  { requiredKeys: ['data'] },
);
const lineEnding = fc.constantFrom('\n', '\r\n', '\r');

/** The UTF-8 round trip of a JS string turns lone surrogates into U+FFFD, as any encoder must. */
const wellFormed = (s: string) => new TextDecoder().decode(new TextEncoder().encode(s));

describeEachPath('round trip (property)', () => {
  test('encode then parse gives back every event, under any chunking and line-ending style', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 8 }),
        lineEnding,
        fc.integer({ min: 1, max: 64 }),
        (events, eol, chunkSize) => {
          const stream = events.map(encodeEvent).join('').replaceAll('\n', eol);
          const { events: parsed } = parseChunks(chunkBytes(new TextEncoder().encode(stream), chunkSize));
          let lastEventId = '';
          const expected = events.map((event) => {
            if (event.id !== undefined) lastEventId = wellFormed(event.id);
            return {
              type: event.event ? wellFormed(event.event) : 'message',
              data: wellFormed(event.data).replace(/\r\n|\r/g, '\n'),
              lastEventId,
            };
          });
          assert.deepEqual(parsed, expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('feeding the whole stream at once or byte by byte gives the same events', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary, { maxLength: 6 }), lineEnding, (events, eol) => {
        const bytes = new TextEncoder().encode(events.map(encodeEvent).join('').replaceAll('\n', eol));
        assert.deepEqual(parseChunks(chunkBytes(bytes, 1)).events, parseChunks([bytes]).events);
      }),
      { numRuns: 300 },
    );
  });
});

describeEachPath('robustness (property)', () => {
  test('random bytes in random chunks never throw and always finish', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 32 }),
        fc.boolean(),
        (chunks, sprinkleLineEnds) => {
          const parser = createParser({ maxEventSize: 256, onError: () => {} });
          for (const chunk of chunks) {
            if (sprinkleLineEnds) for (let i = 0; i < chunk.length; i += 7) chunk[i] = i % 2 ? 0x0a : 0x0d;
            parser.feed(chunk);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  test('the same random bytes give the same events whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }).map((bytes) => bytes.map((b) => (b % 5 === 0 ? 0x0a : b))),
        fc.integer({ min: 1, max: 40 }),
        (bytes, size) => {
          assert.deepEqual(parseChunks(chunkBytes(bytes, size)), parseChunks([bytes]));
        },
      ),
      { numRuns: 500 },
    );
  });
});
