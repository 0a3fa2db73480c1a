import assert from 'node:assert/strict';
import { once } from 'node:events';
import { it } from 'node:test';
import { rawHeaderValue, startRawServer } from '../testing/raw-server.ts';
import { EventSource } from './event-source.ts';

it('[spec] a non-ASCII last event ID is sent back as its UTF-8 bytes, and read back unchanged', async () => {
  const id = 'é€😀 id';
  const server = await startRawServer((index) => (index === 0 ? `retry: 10\nid: ${id}\ndata: x\n\n` : ''));
  try {
    const source = new EventSource(server.url);
    const [first] = (await once(source, 'message')) as [MessageEvent];
    await server.waitForRequests(2);
    source.close();
    assert.equal(first.lastEventId, id);
    const sent = rawHeaderValue(server.heads[1]!, 'last-event-id');
    assert.deepEqual(sent, Buffer.from(id, 'utf8'));
    assert.equal(sent?.toString('utf8'), id);
  } finally {
    await server.close();
  }
});
