import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { selfSignedCertificate } from '../../../../testing/tls.ts';
import {
  createNotificationsDemo,
  createPricesDemo,
  createRideDemo,
  type Demo,
  type DemoUpdate,
  httpPublisher,
  notificationTopic,
  PRICE_SYMBOLS,
  type PriceTick,
  PublishError,
  priceTopic,
  RIDE_STATES,
  RIDE_TOPIC,
  type RideUpdate,
  UnknownRecipientError,
} from './index.ts';

/** A publisher that records updates and answers with sequential ids. */
function recorder(fail?: (update: DemoUpdate) => boolean) {
  const updates: DemoUpdate[] = [];
  const publish = async (update: DemoUpdate): Promise<string> => {
    if (fail?.(update)) throw new PublishError(503, 'hub is shutting down');
    updates.push(update);
    return `id-${updates.length}`;
  };
  return { updates, publish };
}

/** Demos started by a test; stopped after it even when it fails, so no loop outlives its test. */
const started: Demo[] = [];
function track<T extends Demo>(demo: T): T {
  started.push(demo);
  return demo;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((demo) => demo.stop()));
});

/** Waits until `check` holds, polling; fails with `what` after a generous bound. */
async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('prices demo', () => {
  it('publishes one tick per symbol per step, on that symbol topic, with seq rising by one', async () => {
    const { updates, publish } = recorder();
    const demo = track(createPricesDemo({ publish, intervalMs: 1 }));
    demo.start();
    await until('three steps', () => updates.length >= PRICE_SYMBOLS.length * 3);
    await demo.stop();
    for (const symbol of PRICE_SYMBOLS) {
      const ticks = updates
        .filter((u) => u.topics[0] === priceTopic(symbol))
        .map((u) => JSON.parse(u.data) as PriceTick);
      assert.deepEqual(
        ticks.map((t) => t.seq),
        ticks.map((_, i) => i + 1),
      );
      assert.ok(ticks.every((t) => t.symbol === symbol && t.price > 0));
    }
  });

  it('does not advance the sequence of a tick the hub refused, so pages never see a gap', async () => {
    let refuse = true;
    let refused = 0;
    const errors: unknown[] = [];
    const { updates, publish } = recorder(() => {
      if (refuse) refused += 1;
      return refuse;
    });
    const demo = track(
      createPricesDemo({
        publish,
        intervalMs: 1,
        symbols: ['AAPL'],
        onError: (e) => errors.push(e),
      }),
    );
    demo.start();
    try {
      await until('refused steps', () => refused >= 3);
      refuse = false;
      await until('accepted ticks', () => updates.length >= 2);
    } finally {
      await demo.stop();
    }
    const seqs = updates.map((u) => (JSON.parse(u.data) as PriceTick).seq);
    assert.deepEqual(
      seqs,
      seqs.map((_, i) => i + 1),
    );
    assert.ok(errors[0] instanceof PublishError);
    // A hub that keeps refusing is reported once, not once per step.
    assert.equal(errors.length, 1);
  });
});

describe('notifications demo', () => {
  it('sends a user notification as a private update on that user topic', async () => {
    const { updates, publish } = recorder();
    const demo = track(createNotificationsDemo({ publish }));
    const id = await demo.notify('bob', 'Hi', 'there');
    assert.equal(id, 'id-1');
    assert.deepEqual(updates[0]!.topics, [notificationTopic('bob')]);
    assert.equal(updates[0]!.private, true);
    assert.equal(updates[0]!.type, 'notification');
    assert.deepEqual(
      { ...JSON.parse(updates[0]!.data), at: 0 },
      { to: 'bob', title: 'Hi', body: 'there', at: 0 },
    );
  });

  it('sends an announcement to everyone as a public update', async () => {
    const { updates, publish } = recorder();
    await createNotificationsDemo({ publish }).notify('everyone', 'Maintenance tonight');
    assert.equal(updates[0]!.private, false);
    assert.deepEqual(updates[0]!.topics, [notificationTopic('everyone')]);
  });

  it('refuses an unknown recipient without publishing', async () => {
    const { updates, publish } = recorder();
    await assert.rejects(createNotificationsDemo({ publish }).notify('mallory', 'x'), UnknownRecipientError);
    assert.equal(updates.length, 0);
  });

  it('publishes private notifications to demo users in the background', async () => {
    const { updates, publish } = recorder();
    const demo = track(createNotificationsDemo({ publish, intervalMs: 1 }));
    demo.start();
    await until('two notifications', () => updates.length >= 2);
    await demo.stop();
    assert.ok(updates.every((u) => u.private === true && /\/users\/(alice|bob|carol)\//.test(u.topics[0]!)));
  });
});

describe('ride demo', () => {
  it('walks a trip through every state in order, with strictly increasing steps, then starts the next trip', async () => {
    const { updates, publish } = recorder();
    const demo = track(createRideDemo({ publish, intervalMs: 1 }));
    demo.start();
    await until('a trip and the start of the next', () => updates.length >= 41);
    await demo.stop();
    const rides = updates.map((u) => JSON.parse(u.data) as RideUpdate);
    assert.ok(updates.every((u) => u.topics[0] === RIDE_TOPIC && u.type === 'ride'));
    const first = rides.filter((r) => r.tripId === 'trip-1');
    const states = [...new Set(first.map((r) => r.state))];
    assert.deepEqual(states, [...RIDE_STATES]);
    assert.deepEqual(
      first.map((r) => r.step),
      first.map((_, i) => i),
    );
    assert.equal(rides.at(-1)!.tripId, 'trip-2');
  });

  it('moves the car step by step while arriving, ending at the pickup', async () => {
    const { updates, publish } = recorder();
    const demo = track(createRideDemo({ publish, intervalMs: 1 }));
    demo.start();
    await until('the in-trip phase', () => updates.some((u) => u.data.includes('"in_trip"')));
    await demo.stop();
    const arriving = updates
      .map((u) => JSON.parse(u.data) as RideUpdate)
      .filter((r) => r.state === 'arriving');
    const positions = new Set(arriving.map((r) => `${r.car!.x},${r.car!.y}`));
    assert.equal(positions.size, arriving.length);
    assert.deepEqual(arriving.at(-1)!.car, arriving.at(-1)!.pickup);
  });

  it('restarts at requested when a ride is requested', async () => {
    const { updates, publish } = recorder();
    const demo = track(createRideDemo({ publish, intervalMs: 1 }));
    demo.start();
    await until('matched', () => updates.some((u) => u.data.includes('"matched"')));
    demo.requestRide();
    const count = updates.length;
    await until('the next step', () => updates.length > count + 1);
    await demo.stop();
    const next = updates.slice(count).map((u) => JSON.parse(u.data) as RideUpdate);
    const restarted = next.find((r) => r.tripId === 'trip-2')!;
    assert.equal(restarted.state, 'requested');
    assert.equal(restarted.step, 0);
  });
});

describe('demo loop', () => {
  it('never overlaps steps and stop() waits for the one in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let settled = 0;
    const publish = async (): Promise<string> => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      settled += 1;
      return 'x';
    };
    const demo = track(createNotificationsDemo({ publish, intervalMs: 0 }));
    demo.start();
    demo.start();
    await until('a few steps', () => settled >= 3);
    await demo.stop();
    assert.equal(inFlight, 0);
    assert.equal(maxInFlight, 1);
    assert.equal(demo.running, false);
  });
});

describe('httpPublisher', () => {
  it('[mercure] POSTs a form with topic, data, private and type, and a Bearer token; resolves with the id', async () => {
    let seen: { auth?: string; type?: string; body: string } = { body: '' };
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        seen = { auth: req.headers.authorization, type: req.headers['content-type'], body };
        res.writeHead(200, { 'content-type': 'text/plain' }).end('urn:uuid:42');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const publish = httpPublisher({ hubUrl: `http://127.0.0.1:${port}/.well-known/mercure`, token: 'T' });
      const id = await publish({ topics: ['a', 'b'], data: 'x\ny', private: true, type: 'note' });
      assert.equal(id, 'urn:uuid:42');
      assert.equal(seen.auth, 'Bearer T');
      assert.equal(seen.type, 'application/x-www-form-urlencoded');
      const form = new URLSearchParams(seen.body);
      assert.deepEqual(form.getAll('topic'), ['a', 'b']);
      assert.equal(form.get('data'), 'x\ny');
      assert.equal(form.get('private'), 'on');
      assert.equal(form.get('type'), 'note');
    } finally {
      server.close();
    }
  });

  it('rejects with a PublishError carrying the status and the hub message when refused', async () => {
    const server = createServer((_req, res) => res.writeHead(403).end('topic not covered by the token'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const publish = httpPublisher({ hubUrl: `http://127.0.0.1:${port}/`, token: 'T' });
      await assert.rejects(publish({ topics: ['a'], data: '' }), (error: unknown) => {
        assert.ok(error instanceof PublishError);
        assert.equal(error.status, 403);
        assert.match(error.message, /topic not covered/);
        return true;
      });
    } finally {
      server.close();
    }
  });

  it('publishes to a TLS hub with a self-signed certificate when given that certificate, and refuses it otherwise', async () => {
    const { cert, key } = selfSignedCertificate();
    const server = createHttpsServer({ cert, key }, (_req, res) => res.writeHead(200).end('urn:tls:1'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const hubUrl = `https://127.0.0.1:${port}/.well-known/mercure`;
      const pinned = httpPublisher({ hubUrl, token: 'T', trustedCertificate: cert });
      assert.equal(await pinned({ topics: ['a'], data: 'x' }), 'urn:tls:1');
      const plain = httpPublisher({ hubUrl, token: 'T' });
      await assert.rejects(plain({ topics: ['a'], data: 'x' }));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
