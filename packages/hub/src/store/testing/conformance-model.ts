import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { DuplicateIdError } from '../errors.ts';
import type { UpdateStore } from '../types.ts';
import type { ConformanceContext } from './conformance-kit.ts';

type Command =
  | { kind: 'append'; ids: number[] }
  | { kind: 'readAfter'; after: number; limit: number }
  | { kind: 'positionOf'; id: number }
  | { kind: 'size' };

/** Ids come from a small pool, so duplicates (kept, or within a batch) are frequent. */
const idArbitrary = fc.integer({ min: 0, max: 11 });
const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('append' as const),
    ids: fc.array(idArbitrary, { minLength: 0, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant('readAfter' as const),
    after: fc.integer({ min: 0, max: 30 }),
    limit: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ kind: fc.constant('positionOf' as const), id: idArbitrary }),
  fc.constant({ kind: 'size' as const }),
);

/** The reference: what a store with `maxCount` must answer, in a few lines. */
class Model {
  kept: { id: string; position: number }[] = [];
  latest = 0;
  readonly #maxCount: number;

  constructor(maxCount: number) {
    this.#maxCount = maxCount;
  }

  /** The positions the batch gets, or the id that makes it a duplicate. */
  append(ids: string[]): number[] | string {
    const repeated = ids.find(
      (id, index) => ids.indexOf(id) !== index || this.kept.some((kept) => kept.id === id),
    );
    if (repeated !== undefined) return repeated;
    const added = ids.map((id) => ({ id, position: ++this.latest }));
    this.kept.push(...added);
    this.kept = this.kept.slice(-this.#maxCount);
    return added.map((update) => update.position);
  }
}

async function check(store: UpdateStore, model: Model, command: Command): Promise<void> {
  if (command.kind === 'append') {
    const ids = command.ids.map((id) => `model-${id}`);
    const expected = model.append(ids);
    const updates = ids.map((id) => ({ id, topics: ['t'], data: id, private: false }));
    if (typeof expected === 'string') {
      await assert.rejects(store.append(updates), DuplicateIdError);
    } else {
      assert.deepEqual(
        (await store.append(updates)).map((update) => update.position),
        expected,
      );
    }
  } else if (command.kind === 'readAfter') {
    const expected = model.kept.filter((kept) => kept.position > command.after).slice(0, command.limit);
    const actual = await store.readAfter(command.after, command.limit);
    assert.deepEqual(
      actual.map(({ id, position }) => ({ id, position })),
      expected,
    );
  } else if (command.kind === 'size') {
    // The data of each update is its id: ASCII, one byte a character.
    const bytes = model.kept.reduce((sum, kept) => sum + kept.id.length, 0);
    assert.deepEqual(await store.size(), { updates: model.kept.length, bytes });
  } else {
    const expected = model.kept.find((kept) => kept.id === `model-${command.id}`)?.position;
    assert.equal(await store.positionOf(`model-${command.id}`), expected);
  }
}

/** Conformance: a random mix of appends (duplicates included), reads, lookups and sizes agrees with a reference model. */
export function modelConformance({ open }: ConformanceContext): void {
  it('agrees with a reference model over random appends, duplicates, reads, lookups and sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(commandArbitrary, { minLength: 1, maxLength: 25 }),
        async (maxCount, commands) => {
          const store = await open({ maxCount });
          try {
            const model = new Model(maxCount);
            for (const command of commands) await check(store, model, command);
            assert.equal(await store.latestPosition(), model.latest);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
}
