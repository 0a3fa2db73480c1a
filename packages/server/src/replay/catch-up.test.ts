import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CatchUp, type Positioned } from './catch-up.ts';

/** A live item at `position`, `size` bytes long. */
const item = (position: number, size = 10): Positioned => ({ position, bytes: new Uint8Array(size) });
const positions = (items: readonly Positioned[]) => items.map((held) => held.position);

/** What a reader receives: history through `admit`, then what `goLive` hands back, then live items. */
function runCatchUp(history: readonly number[], heldDuring: readonly number[], liveAfter: readonly number[]) {
  const catchUp = new CatchUp();
  const received: number[] = [];
  for (const position of heldDuring) catchUp.hold(item(position));
  for (const position of history) if (catchUp.admit(position)) received.push(position);
  received.push(...positions(catchUp.goLive()));
  for (const position of liveAfter) if (catchUp.admit(position)) received.push(position);
  return received;
}

describe('CatchUp', () => {
  test('held live items that the history also sent follow it once: no duplicate', () => {
    assert.deepEqual(runCatchUp([1, 2, 3, 4], [3, 4, 5, 6], [7]), [1, 2, 3, 4, 5, 6, 7]);
  });

  test('live items published while history was read follow the history: no gap', () => {
    assert.deepEqual(runCatchUp([1, 2], [3, 4], [5, 6]), [1, 2, 3, 4, 5, 6]);
  });

  test('nothing at or before the position a reader resumed after is sent, even held live items', () => {
    const catchUp = new CatchUp();
    catchUp.hold(item(4));
    catchUp.hold(item(6));
    catchUp.resumeAfter(5);
    assert.equal(catchUp.admit(5), false);
    assert.deepEqual(positions(catchUp.goLive()), [6]);
  });

  test('a live item repeated after going live is refused', () => {
    assert.deepEqual(runCatchUp([1, 2], [2, 3], [3, 4, 4, 5]), [1, 2, 3, 4, 5]);
  });

  test('holds live items while replaying and hands none back once live', () => {
    const catchUp = new CatchUp();
    assert.equal(catchUp.hold(item(1)), true);
    assert.deepEqual(positions(catchUp.held), [1]);
    assert.deepEqual(positions(catchUp.goLive()), [1]);
    assert.equal(catchUp.replaying, false);
    assert.equal(catchUp.hold(item(2)), false);
    assert.deepEqual(catchUp.held, []);
  });

  test('takeHeld hands back what is new, counts it as sent, and keeps holding what comes next', () => {
    const catchUp = new CatchUp();
    catchUp.hold(item(1));
    catchUp.hold(item(2));
    catchUp.admit(1);
    assert.deepEqual(positions(catchUp.takeHeld()), [2]);
    assert.equal(catchUp.lastPosition, 2);
    catchUp.hold(item(3));
    assert.equal(catchUp.replaying, true);
    assert.deepEqual(positions(catchUp.goLive()), [3]);
  });

  test('[policy] held bytes past maxBytes drop what was held and mark it overflowed', () => {
    const catchUp = new CatchUp({ maxBytes: 25 });
    assert.equal(catchUp.hold(item(1, 10)), true);
    assert.equal(catchUp.hold(item(2, 10)), true);
    assert.equal(catchUp.overflowed, false);
    assert.equal(catchUp.hold(item(3, 10)), false);
    assert.equal(catchUp.overflowed, true);
    assert.deepEqual(catchUp.held, []);
    assert.equal(catchUp.hold(item(4, 1)), false);
  });

  test('[policy] held items past maxItems drop what was held and mark it overflowed', () => {
    const catchUp = new CatchUp({ maxItems: 2 });
    catchUp.hold(item(1));
    catchUp.hold(item(2));
    assert.equal(catchUp.hold(item(3)), false);
    assert.equal(catchUp.overflowed, true);
  });
});
