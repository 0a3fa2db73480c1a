import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CatchUp, type Positioned } from './catch-up.ts';
import { goLive } from './go-live.ts';

/** A live item at `position`, one byte holding its position. */
const item = (position: number): Positioned => ({ position, bytes: Uint8Array.of(position) });

describe('goLive', () => {
  test('writes the held items newer than the last one sent, oldest first, and the reader is live', () => {
    const catchUp = new CatchUp();
    for (const position of [2, 3, 4]) catchUp.hold(item(position));
    catchUp.admit(3);
    const written: number[] = [];
    assert.equal(
      goLive(catchUp, (bytes) => written.push(bytes[0]!)),
      true,
    );
    assert.deepEqual(written, [4]);
    assert.equal(catchUp.replaying, false);
  });

  test('[policy] writes nothing and answers false when the held items passed their bound', () => {
    const catchUp = new CatchUp({ maxItems: 1 });
    catchUp.hold(item(1));
    catchUp.hold(item(2));
    const written: number[] = [];
    assert.equal(
      goLive(catchUp, (bytes) => written.push(bytes[0]!)),
      false,
    );
    assert.deepEqual(written, []);
    assert.equal(catchUp.hold(item(3)), false, 'it takes no live item: the caller closes it');
  });
});
