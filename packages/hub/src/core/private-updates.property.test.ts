/**
 * [spec] a private update MUST NOT be dispatched to subscribers not authorized to receive it.
 * Property: over random topics, selectors and claims, a subscriber receives an update,
 * live or replayed, exactly when a selector matches one of its topics and, for a private
 * update, a `mercure.subscribe` selector matches one of its topics too. The oracle works
 * on the structure the generators build, not on the hub's matcher.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createParser } from '@spout/protocol';
import fc from 'fast-check';
import type { MercureClaims } from '../auth/index.ts';
import { createMemoryStore } from '../store/index.ts';
import { parseSelector } from '../topics/index.ts';
import { Dispatcher } from './dispatcher.ts';
import { HubMetrics } from './metrics.ts';
import { replayAfter } from './replay.ts';
import { type EventStream, Subscriber } from './subscriber.ts';

const SECTIONS = ['books', 'users', 'a b'] as const;
const IDS = ['1', '2', '%C3%A9'] as const;

/** A topic is a (section, id) pair; a pattern is the same with `undefined` meaning "any". */
type Topic = { section: string; id: string };
type Pattern = { section: string | undefined; id: string | undefined; all: boolean };

const topicArb = fc.record({ section: fc.constantFrom(...SECTIONS), id: fc.constantFrom(...IDS) });
const patternArb: fc.Arbitrary<Pattern> = fc.oneof(
  fc.constant({ section: undefined, id: undefined, all: true }),
  fc.record({
    section: fc.option(fc.constantFrom(...SECTIONS), { nil: undefined }),
    id: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
    all: fc.constant(false),
  }),
);

function topicString(topic: Topic): string {
  return `https://e.com/${encodeURIComponent(topic.section)}/${topic.id}`;
}

function selectorString(pattern: Pattern): string {
  if (pattern.all) return '*';
  const section = pattern.section === undefined ? '{section}' : encodeURIComponent(pattern.section);
  return `https://e.com/${section}/${pattern.id ?? '{id}'}`;
}

function oracleMatches(pattern: Pattern, topic: Topic): boolean {
  if (pattern.all) return true;
  return (pattern.section ?? topic.section) === topic.section && (pattern.id ?? topic.id) === topic.id;
}

function claimsOf(subscribe: Pattern[] | undefined): MercureClaims {
  return {
    publish: undefined,
    subscribe: subscribe?.map((p) => parseSelector(selectorString(p))),
    payload: undefined,
  };
}

class RecordingStream implements EventStream {
  readonly ids: string[] = [];
  readonly #parser = createParser({ onEvent: (event) => this.ids.push(event.lastEventId) });
  bufferedBytes = 0;
  isOpen = true;
  sendBytes(bytes: Uint8Array): boolean {
    this.#parser.feed(bytes);
    return true;
  }
  writeShared(bytes: Uint8Array): boolean {
    return this.sendBytes(bytes);
  }
  close(): void {
    this.isOpen = false;
  }
  abort(): void {
    this.isOpen = false;
  }
  onClose(): void {}
  whenWritable(): Promise<void> {
    return Promise.resolve();
  }
}

const scenarioArb = fc.record({
  subscribers: fc.array(
    fc.record({
      selectors: fc.array(patternArb, { minLength: 1, maxLength: 3 }),
      subscribe: fc.option(fc.array(patternArb, { maxLength: 3 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  updates: fc.array(
    fc.record({ topics: fc.array(topicArb, { minLength: 1, maxLength: 3 }), private: fc.boolean() }),
    { minLength: 1, maxLength: 12 },
  ),
});

describe('private updates never leak (property)', () => {
  it('live and replayed deliveries match the authorization oracle exactly', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const store = createMemoryStore();
        const dispatcher = new Dispatcher(
          store,
          new HubMetrics({ processMetrics: false }),
          () => {},
          () => {},
        );
        const subscribers = scenario.subscribers.map((spec, index) => {
          const subscriber = new Subscriber({
            id: `s${index}`,
            selectors: spec.selectors.map((p) => parseSelector(selectorString(p))),
            claims: claimsOf(spec.subscribe),
            address: '127.0.0.1',
            maxPendingBytes: 1 << 20,
          });
          subscriber.attach(new RecordingStream());
          dispatcher.add(subscriber);
          subscriber.goLive();
          return subscriber;
        });
        const updates = scenario.updates.map((u, i) => ({
          id: `u${i}`,
          topics: u.topics.map(topicString),
          data: String(i),
          private: u.private,
        }));
        for (const update of updates) await store.append([update]);
        dispatcher.flush();
        for (const [index, spec] of scenario.subscribers.entries()) {
          const expected = scenario.updates
            .map((u, i) => ({ u, id: `u${i}` }))
            .filter(({ u }) => u.topics.some((t) => spec.selectors.some((p) => oracleMatches(p, t))))
            .filter(
              ({ u }) =>
                !u.private || u.topics.some((t) => (spec.subscribe ?? []).some((p) => oracleMatches(p, t))),
            )
            .map(({ id }) => id);
          const live = (subscribers[index]!.stream as RecordingStream).ids;
          assert.deepEqual(live, expected, `live deliveries of subscriber ${index}`);
          // The same rule holds for history.
          const replayer = new Subscriber({
            id: `r${index}`,
            selectors: subscribers[index]!.selectors,
            claims: subscribers[index]!.claims,
            address: '127.0.0.1',
            maxPendingBytes: 1 << 20,
          });
          const replayStream = new RecordingStream();
          replayer.attach(replayStream);
          const firstPage = await store.readAfter(0, 4);
          await replayAfter(
            store,
            replayer,
            { after: 0, firstPage },
            { pageSize: 4, highWaterBytes: 1 << 20, stallMs: 60_000 },
          );
          assert.deepEqual(replayStream.ids, expected, `replayed deliveries of subscriber ${index}`);
        }
        dispatcher.stop();
        await store.close();
      }),
      { numRuns: 200 },
    );
  });
});
