import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { eventually } from '../testing/eventually.ts';
import { Deadlines, lifetimeEnd } from './deadlines.ts';

describe('Deadlines', () => {
  it('hands every item due at a moment to expire at that moment, not before', async () => {
    const expired: [string, number][] = [];
    const deadlines = new Deadlines<string>((item) => expired.push([item, Date.now()]));
    const at = Date.now() + 40;
    deadlines.add('a', at);
    deadlines.add('b', at);
    deadlines.add('c', at + 40);
    await eventually(() => expired.length === 3, 'every item expired');
    assert.deepEqual(
      expired.map(([item]) => item),
      ['a', 'b', 'c'],
    );
    for (const [item, when] of expired)
      assert.ok(when >= (item === 'c' ? at + 40 : at), `${item} expired early`);
  });

  it('does not expire an item removed before its moment; the others of that moment still expire', async () => {
    const expired: string[] = [];
    const deadlines = new Deadlines<string>((item) => expired.push(item));
    const at = Date.now() + 30;
    deadlines.add('gone', at);
    deadlines.add('kept', at);
    deadlines.remove('gone', at);
    deadlines.add('alone', at + 10);
    deadlines.remove('alone', at + 10);
    await eventually(() => expired.length > 0, 'an item expired');
    // Had they been left, 'gone' would have expired with 'kept', and 'alone' 10 ms after.
    await delay(50);
    assert.deepEqual(expired, ['kept']);
  });

  it('expires nothing once cleared', async () => {
    const expired: string[] = [];
    const deadlines = new Deadlines<string>((item) => expired.push(item));
    deadlines.add('a', Date.now() + 20);
    deadlines.clear();
    await delay(60);
    assert.deepEqual(expired, []);
  });
});

describe('lifetimeEnd', () => {
  it('ends a lifetime on the next whole second, never before now + lifetime', () => {
    assert.equal(lifetimeEnd(1_000_250, 60_000), 1_061_000);
    assert.equal(lifetimeEnd(1_000_000, 60_000), 1_060_000);
  });
});
