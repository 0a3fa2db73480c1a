import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MemoryHistory } from './memory-history.ts';

const ids = (events: readonly { id: string }[]) => events.map((event) => event.id);

describe('MemoryHistory', () => {
  test('assigns increasing ids to events that have none', () => {
    const history = new MemoryHistory();
    assert.equal(history.append({ data: 'a' }).id, '1');
    assert.equal(history.append({ data: 'b' }).id, '2');
  });

  test('keeps the encoded bytes, id line included', () => {
    const history = new MemoryHistory();
    const stored = history.append({ data: 'hi', event: 'greet' });
    assert.equal(new TextDecoder().decode(stored.bytes), 'id: 1\nevent: greet\ndata: hi\n\n');
  });

  test('keeps ids given by the application and refuses duplicates', () => {
    const history = new MemoryHistory();
    history.append({ id: 'x', data: '1' });
    assert.throws(() => history.append({ id: 'x', data: '2' }), /Duplicate event id "x"/);
    assert.throws(() => history.append({ id: '', data: '2' }), /non-empty id/);
  });

  test('reads every event after an id, oldest first', () => {
    const history = new MemoryHistory();
    for (const data of ['a', 'b', 'c', 'd']) history.append({ data });
    const read = history.readAfter('2');
    assert.equal(read.found, true);
    assert.deepEqual(read.found && ids(read.events), ['3', '4']);
    const latest = history.readAfter('4');
    assert.deepEqual(latest.found && latest.events, []);
  });

  test('reports an unknown id as not found', () => {
    const history = new MemoryHistory();
    history.append({ data: 'a' });
    assert.deepEqual(history.readAfter('nope'), { found: false });
  });

  test('trims by count, oldest first; a trimmed id is no longer found', () => {
    const history = new MemoryHistory({ maxEvents: 3 });
    for (let i = 0; i < 5; i++) history.append({ data: String(i) });
    assert.deepEqual(ids(history.readAll()), ['3', '4', '5']);
    assert.equal(history.readAfter('1').found, false);
    const read = history.readAfter('3');
    assert.deepEqual(read.found && ids(read.events), ['4', '5']);
  });

  test('trims by age', () => {
    let now = 1_000;
    const history = new MemoryHistory({ maxAge: 100 }, () => now);
    history.append({ data: 'old' });
    now = 1_050;
    history.append({ data: 'newer' });
    now = 1_120;
    history.trim();
    assert.deepEqual(ids(history.readAll()), ['2']);
  });

  test('trims by total bytes', () => {
    const history = new MemoryHistory({ maxEvents: 100, maxBytes: 40 });
    for (let i = 0; i < 5; i++) history.append({ data: 'x'.repeat(5) });
    // each event is 'id: N\ndata: xxxxx\n\n': 19 bytes, so two fit in 40
    assert.equal(history.size, 2);
    assert.equal(history.bytes, 38);
  });

  test('[policy] an event larger than maxBytes by itself is kept alone, only older events are dropped', () => {
    const history = new MemoryHistory({ maxEvents: 100, maxBytes: 40 });
    history.append({ data: 'a' });
    history.append({ data: 'b' });
    const big = history.append({ data: 'x'.repeat(100) });
    assert.deepEqual(ids(history.readAll()), [big.id]);
    assert.equal(history.readAfter('2').found, false, 'the ids it pushed out are reported as unknown');
  });

  test('trimming by bytes after a large event drops it, oldest first, only as far as needed', () => {
    const history = new MemoryHistory({ maxEvents: 100, maxBytes: 40 });
    history.append({ data: 'x'.repeat(100) });
    history.append({ data: 'a' });
    history.append({ data: 'b' });
    assert.deepEqual(ids(history.readAll()), ['2', '3']);
  });

  test('stays correct across ring compaction', () => {
    const history = new MemoryHistory({ maxEvents: 10 });
    for (let i = 0; i < 5000; i++) history.append({ data: String(i) });
    const read = history.readAfter('4995');
    assert.deepEqual(read.found && ids(read.events), ['4996', '4997', '4998', '4999', '5000']);
    assert.equal(history.size, 10);
  });

  test('gives each event a position greater than the one before', () => {
    const history = new MemoryHistory();
    const positions = ['a', 'b', 'c'].map((data) => history.append({ data }).position);
    assert.deepEqual(positions, [1, 2, 3]);
  });

  test('finds the position of a stored id, and none for an unknown or trimmed one', () => {
    const history = new MemoryHistory({ maxEvents: 2 });
    for (const id of ['x', 'y', 'z']) history.append({ id, data: id });
    assert.equal(history.positionOf('z'), 3);
    assert.equal(history.positionOf('x'), undefined, 'trimmed away');
    assert.equal(history.positionOf('nope'), undefined);
  });

  test('reads a page of at most limit events after a position, oldest first', () => {
    const history = new MemoryHistory();
    for (let i = 0; i < 6; i++) history.append({ data: String(i) });
    assert.deepEqual(ids(history.readPage(2, 3)), ['3', '4', '5']);
    assert.deepEqual(ids(history.readPage(5, 3)), ['6'], 'a short page: nothing more is stored');
    assert.deepEqual(ids(history.readPage(6, 3)), []);
  });

  test('reads from the oldest event kept after position 0 or a position trimmed away', () => {
    const history = new MemoryHistory({ maxEvents: 3 });
    for (let i = 0; i < 5; i++) history.append({ data: String(i) });
    assert.deepEqual(ids(history.readPage(0, 10)), ['3', '4', '5']);
    assert.deepEqual(ids(history.readPage(1, 10)), ['3', '4', '5']);
  });

  test('reads pages by position across ring compaction', () => {
    const history = new MemoryHistory({ maxEvents: 10 });
    for (let i = 0; i < 5000; i++) history.append({ data: String(i) });
    assert.deepEqual(ids(history.readPage(history.positionOf('4996')!, 2)), ['4997', '4998']);
  });

  test('rejects a negative limit', () => {
    assert.throws(() => new MemoryHistory({ maxEvents: -1 }), /maxEvents/);
  });
});
