import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Channel } from '../channel/channel.ts';
import { openStream } from '../testing/sse-client.ts';
import { startExpressExample } from './express.ts';
import { startFastifyExample } from './fastify.ts';
import { startHonoExample } from './hono.ts';
import { startNodeExample } from './node-http.ts';

/** Connects to the example's stream, publishes through its channel, and checks the event arrives. */
async function checkExample(url: string, channel: Channel): Promise<void> {
  const stream = await openStream(url);
  assert.equal(stream.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  while (channel.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await channel.broadcast({ hello: 'example' }, { event: 'greeting' });
  const [event] = await stream.waitForEvents(1);
  assert.deepEqual([event?.type, JSON.parse(event!.data)], ['greeting', { hello: 'example' }]);
  stream.abort();
  await channel.sessions()[0]?.closed;
}

const port = (address: AddressInfo | string | null) => (address as AddressInfo).port;

test('README example: node:http', async () => {
  const { server, prices } = startNodeExample(0);
  await once(server, 'listening');
  await checkExample(`http://127.0.0.1:${port(server.address())}/prices`, prices as unknown as Channel);
  server.close();
});

test('README example: Express', async () => {
  const { server, channel } = startExpressExample(0);
  await once(server, 'listening');
  const base = `http://127.0.0.1:${port(server.address())}`;
  await checkExample(`${base}/events`, channel);
  const published = await fetch(`${base}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ n: 1 }),
  });
  assert.deepEqual(await published.json(), { id: '2' });
  server.close();
});

test('README example: Fastify', async () => {
  const { app, channel } = await startFastifyExample(0);
  await checkExample(`http://127.0.0.1:${port(app.server.address())}/events`, channel);
  await app.close();
});

test('README example: Hono', async () => {
  const { server, channel } = startHonoExample(0);
  await once(server, 'listening');
  await checkExample(`http://127.0.0.1:${port(server.address())}/events`, channel);
  server.close();
});
