import assert from 'node:assert/strict';
import { describe, type TestContext, test } from 'node:test';
import type { HistoryStore, StoredEvent } from '../history/history-store.ts';
import { MemoryHistory } from '../history/memory-history.ts';
import { Session } from '../session/session.ts';
import { MemorySink, nextTick } from '../testing/memory-sink.ts';
import { Channel } from './channel.ts';
import type { ChannelOptions } from './options.ts';
import { CHANNEL_ERROR_WARNING } from './report-error.ts';

const quiet = { heartbeatInterval: 0 };
const failure = new Error('store down');

/** A history over the network whose reads fail. */
function failingStore(fail: { positionOf?: boolean; readPage?: boolean }): HistoryStore {
  const inner = new MemoryHistory();
  inner.append({ data: 'a' });
  return {
    append: (fields, meta) => inner.append(fields, meta),
    positionOf: async (id): Promise<number | undefined> => {
      if (fail.positionOf) throw failure;
      return inner.positionOf(id);
    },
    readPage: async (after, limit): Promise<readonly StoredEvent[]> => {
      if (fail.readPage) throw failure;
      return inner.readPage(after, limit);
    },
    trim: () => inner.trim(),
  };
}

/** Joins a session resuming from `lastEventId`; checks it was closed with 'error', left the channel and was reported. */
async function assertJoinFails(
  options: ChannelOptions<Record<string, unknown>, unknown>,
  lastEventId: string,
) {
  const reported: [unknown, Session][] = [];
  const channel = new Channel({ ...options, onError: (error, session) => reported.push([error, session]) });
  const session = new Session(new MemorySink(), quiet, { lastEventId });
  await channel.join(session);
  assert.equal(session.closeReason, 'error');
  assert.deepEqual(reported, [[failure, session]]);
  assert.equal(channel.has(session), false);
}

/** The channel warnings emitted during the test (emitWarning delivers them on a later tick). */
function collectWarnings(t: TestContext): Error[] {
  const warnings: Error[] = [];
  const listener = (warning: Error) => {
    if ((warning as { code?: string }).code === CHANNEL_ERROR_WARNING) warnings.push(warning);
  };
  process.on('warning', listener);
  t.after(() => process.off('warning', listener));
  return warnings;
}

describe('a join that fails', () => {
  test('a throwing replayFilter closes the session with "error" and reports the error', async () => {
    const history = new MemoryHistory();
    history.append({ data: 'a' });
    history.append({ data: 'b' });
    const replayFilter = () => {
      throw failure;
    };
    await assertJoinFails({ history, replayFilter }, '1');
  });

  test('a rejecting asynchronous positionOf (where the replay starts) closes the session with "error" and reports the error', async () => {
    await assertJoinFails({ history: failingStore({ positionOf: true }) }, '1');
  });

  test('a rejecting asynchronous readPage of a known id closes the session with "error" and reports the error', async () => {
    await assertJoinFails({ history: failingStore({ readPage: true }) }, '1');
  });

  test('a rejecting readPage (an unknown id replays all) closes the session with "error" and reports the error', async () => {
    await assertJoinFails({ history: failingStore({ readPage: true }) }, 'gone');
  });

  test('a throwing onUnknownLastEventId hook closes the session with "error" and reports the error', async () => {
    const onUnknownLastEventId = () => {
      throw failure;
    };
    await assertJoinFails({ history: new MemoryHistory(), onUnknownLastEventId }, 'gone');
  });

  test('without onError, failures are reported once per channel as a process warning', async (t) => {
    const warnings = collectWarnings(t);
    const channel = new Channel({ history: failingStore({ positionOf: true }) });
    for (let i = 0; i < 3; i++)
      await channel.join(new Session(new MemorySink(), quiet, { lastEventId: '1' }));
    await nextTick();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /store down/);
  });

  test('an onError hook that throws is reported as a warning instead of reaching the caller', async (t) => {
    const warnings = collectWarnings(t);
    const onError = () => {
      throw new Error('hook broke');
    };
    const channel = new Channel({ history: failingStore({ positionOf: true }), onError });
    const session = new Session(new MemorySink(), quiet, { lastEventId: '1' });
    await channel.join(session);
    await nextTick();
    assert.equal(session.closeReason, 'error');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.message, /hook broke.*store down/);
  });
});
