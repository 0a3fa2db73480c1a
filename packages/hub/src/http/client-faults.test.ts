import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig } from '../config/load.ts';
import { startHub } from '../run-hub.ts';
import { startTestHub } from '../testing/test-hub.ts';

interface RawAnswer {
  status: number;
  body: string;
}

/** Sends `request` as raw bytes and reads the answer until the server closes the connection. */
function rawRequest(url: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n', 2);
      resolve({ status: Number(head.split(' ')[1]), body });
    });
    socket.end(request);
  });
}

/** A logger whose lines the test can read. */
function capturedLogger(): { logger: pino.Logger; lines: { level: number; msg: string; err?: unknown }[] } {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

const SECRET = 'client-faults-secret-0123456789abcdef';

describe('requests a client gets wrong', () => {
  it('answers unparseable request targets with 400 and a reason, UI on, logging no error', async () => {
    const { logger, lines } = capturedLogger();
    const config = loadConfig(['--jwt-key', SECRET, '--port', '0', '--store', 'memory'], {});
    const started = await startHub(config, { logger });
    try {
      for (const target of ['//[', 'http://[/', '//a:99999/']) {
        const answer = await rawRequest(
          started.running.url,
          `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        );
        assert.equal(answer.status, 400, target);
        assert.match(answer.body, /not a valid path/, target);
      }
      assert.deepEqual(
        lines.filter((line) => line.level >= 50),
        [],
      );
    } finally {
      await started.close();
    }
  });

  it('answers a publish whose body was cut short with 400 and one info line, no error and no stack', async () => {
    const { logger, lines } = capturedLogger();
    const hub = await startTestHub({ logger });
    try {
      const token = await hub.token({ publish: ['*'] });
      const { port } = new URL(hub.hubUrl);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write(
        `POST /.well-known/mercure HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
          'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ntopic=a&data=',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      for (let i = 0; i < 250 && !lines.some((line) => /cut short/.test(line.msg)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const cutShort = lines.filter((line) => /cut short/.test(line.msg));
      assert.equal(cutShort.length, 1);
      assert.equal(cutShort[0]!.level, 30, 'info');
      assert.equal(cutShort[0]!.err, undefined, 'no stack');
      assert.deepEqual(
        lines.filter((line) => line.level >= 50),
        [],
      );
      const metrics = await (await fetch(new URL('/metrics', hub.hubUrl))).text();
      assert.match(metrics, /spout_hub_publish_requests_total\{status="400"\} 1/);
    } finally {
      await hub.close();
    }
  });

  it("answers what Node's parser refuses with a one-line reason: 431 for oversized headers, 400 for bad syntax", async () => {
    const hub = await startTestHub();
    try {
      const big = await rawRequest(
        hub.url,
        `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      );
      assert.equal(big.status, 431);
      assert.match(big.body, /headers are larger/);
      const garbled = await rawRequest(hub.url, 'GET / HTTP/1.1\r\nHost x\r\n\r\n');
      assert.equal(garbled.status, 400);
      assert.match(garbled.body, /not valid HTTP/);
    } finally {
      await hub.close();
    }
  });

  it('answers a failure of its own with 500 and a one-line reason, never an empty body', async () => {
    const hub = await startTestHub({
      extraHandler: () => {
        throw new Error('a handler bug');
      },
    });
    try {
      const answer = await fetch(new URL('/somewhere', hub.url));
      assert.equal(answer.status, 500);
      assert.match(await answer.text(), /failed to answer/);
    } finally {
      await hub.close();
    }
  });
});
