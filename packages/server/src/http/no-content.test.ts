import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHttpServer } from '../testing/sse-client.ts';
import { createSession } from '../transports/node.ts';
import { noContent, noContentResponse } from './no-content.ts';

test('[spec] a reconnect answered with 204 gets no stream: EventSource stops retrying', async () => {
  let connections = 0;
  const server = await startHttpServer((req, res) => {
    connections++;
    if (connections === 1)
      createSession(req, res, { heartbeatInterval: 0 }).close({ event: 'done', data: '' });
    else noContent(res);
  });
  const first = await fetch(server.url);
  assert.equal(first.status, 200);
  assert.equal(await first.text(), 'event: done\ndata: \n\n');
  const reconnect = await fetch(server.url, { headers: { 'last-event-id': 'x' } });
  assert.equal(reconnect.status, 204);
  assert.equal(await reconnect.text(), '');
  await server.close();
});

test('noContentResponse() is a 204 web Response without a body', () => {
  const response = noContentResponse({ 'x-reason': 'finished' });
  assert.equal(response.status, 204);
  assert.equal(response.body, null);
  assert.equal(response.headers.get('x-reason'), 'finished');
});
