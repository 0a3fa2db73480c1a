import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type DirectoryEntry, LocalDirectory } from './directory.ts';
import { HubFullError } from './errors.ts';

const entry = (subscriber: string, address = '10.0.0.1'): DirectoryEntry => ({
  subscriber,
  address,
  subscriptions: [{ topic: '*', subscriber, active: true, payload: undefined }],
});

describe('LocalDirectory', () => {
  it('lists every admitted subscriber until it leaves', async () => {
    const directory = new LocalDirectory({ maxSubscribers: 10, maxSubscribersPerAddress: 10 });
    await directory.admit(entry('a'));
    await directory.admit(entry('b'));
    directory.leave('a');
    assert.deepEqual(
      (await directory.list()).map((e) => e.subscriber),
      ['b'],
    );
    assert.equal(await directory.count(), 1);
  });

  it('refuses past maxSubscribersPerAddress, naming the setting, and frees the place on leave', async () => {
    const directory = new LocalDirectory({ maxSubscribers: 10, maxSubscribersPerAddress: 1 });
    await directory.admit(entry('a'));
    await assert.rejects(directory.admit(entry('b')), (error: unknown) => {
      return error instanceof HubFullError && /setting maxSubscribersPerAddress/.test(error.message);
    });
    directory.leave('a');
    await directory.admit(entry('b'));
  });

  it('refuses past maxSubscribers, naming the setting', async () => {
    const directory = new LocalDirectory({ maxSubscribers: 1, maxSubscribersPerAddress: 10 });
    await directory.admit(entry('a', '10.0.0.1'));
    await assert.rejects(directory.admit(entry('b', '10.0.0.2')), /setting maxSubscribers\)/);
  });

  it('ignores a second leave of the same subscriber', async () => {
    const directory = new LocalDirectory({ maxSubscribers: 10, maxSubscribersPerAddress: 1 });
    await directory.admit(entry('a'));
    directory.leave('a');
    directory.leave('a');
    await directory.admit(entry('b'));
    assert.equal(await directory.count(), 1);
  });
});
