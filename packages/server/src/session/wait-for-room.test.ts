import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { waitForRoom } from './wait-for-room.ts';

const never = (): Promise<void> => new Promise(() => {});

describe('waitForRoom', () => {
  test('answers true once the stream drains and the producer has room', async () => {
    let full = true;
    const stream = { isOpen: true, whenWritable: () => Promise.resolve() };
    setTimeout(() => {
      full = false;
    }, 20);
    assert.equal(await waitForRoom(stream, () => full, 5_000), true);
  });

  test('answers false at the deadline when the reader takes nothing: a slow consumer', async () => {
    const stream = { isOpen: true, whenWritable: never };
    assert.equal(await waitForRoom(stream, () => true, 30), false);
  });

  test('answers false at the deadline when the transport drains but the producer never gets room', async () => {
    const stream = { isOpen: true, whenWritable: () => Promise.resolve() };
    assert.equal(await waitForRoom(stream, () => true, 30), false);
  });

  test('stops waiting when the stream ends', async () => {
    const stream = { isOpen: false, whenWritable: () => Promise.resolve() };
    assert.equal(await waitForRoom(stream, () => true, 5_000), true);
  });
});
