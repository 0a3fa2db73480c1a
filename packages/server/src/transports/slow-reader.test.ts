import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { Channel } from '../channel/channel.ts';
import type { Session } from '../session/session.ts';
import { startHttpServer } from '../testing/sse-client.ts';
import { createSession } from './node.ts';

test('[policy] a subscriber that stops reading is closed at its cap; the others keep receiving', async () => {
  const channel = new Channel();
  const sessions: Session[] = [];
  const server = await startHttpServer((req, res) => {
    const session = createSession(req, res, { heartbeatInterval: 0, maxBufferedBytes: 256 * 1024 });
    sessions.push(session);
    channel.join(session);
  });
  // A raw client that sends a request and never reads: the kernel buffers fill, then the server's.
  const stalled = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  stalled.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  stalled.pause();
  const reading = net.connect(Number(new URL(server.url).port), '127.0.0.1');
  reading.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  let received = 0;
  reading.on('data', (chunk: Buffer) => {
    received += chunk.byteLength;
  });
  while (sessions.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const slow = sessions[0]!;
  const payload = 'x'.repeat(4000);
  let sent = 0;
  // Bounded: loopback kernel buffers hold a few MiB at most; 200 MiB would mean the cap is not enforced.
  while (slow.isOpen && sent < 50_000) {
    await channel.broadcast(payload);
    sent++;
    if (sent % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(await slow.closed, 'overflow');
  assert.equal(sessions[1]!.isOpen, true, 'the reading subscriber is still connected');
  assert.equal(channel.size, 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(received > 0);
  stalled.destroy();
  reading.destroy();
  await server.close();
});
