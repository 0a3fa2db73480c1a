import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestHub } from '../testing/test-hub.ts';

describe('the route table', () => {
  it('serves /metrics from the metricsText function it is given', async () => {
    const metricsText = async () => ({ text: 'aggregated 1\n', contentType: 'text/plain; version=0.0.4' });
    const hub = await startTestHub({ metricsText });
    try {
      const answer = await fetch(`${hub.url}/metrics`);
      assert.equal(answer.headers.get('content-type'), 'text/plain; version=0.0.4');
      assert.equal(await answer.text(), 'aggregated 1\n');
    } finally {
      await hub.close();
    }
  });

  it('answers /metrics 401 without the metrics token, and serves it with the token', async () => {
    const hub = await startTestHub({ metricsToken: 'scrape-0123' });
    try {
      const refused = await fetch(`${hub.url}/metrics`);
      assert.equal(refused.status, 401);
      await refused.body?.cancel();
      const served = await fetch(`${hub.url}/metrics`, { headers: { authorization: 'Bearer scrape-0123' } });
      assert.match(await served.text(), /spout_hub_subscribers/);
    } finally {
      await hub.close();
    }
  });

  it('answers 405 with Allow for a method the hub path lacks; an unserved method of another path goes to the mount', async () => {
    const hub = await startTestHub({
      extraHandler: (req, res) => {
        res.end(`mounted ${req.method} ${req.url}`);
        return true;
      },
    });
    try {
      const refused = await fetch(hub.hubUrl, { method: 'DELETE' });
      assert.equal(refused.status, 405);
      assert.equal(refused.headers.get('allow'), 'GET, HEAD, POST, OPTIONS');
      await refused.body?.cancel();
      assert.equal(
        await (await fetch(`${hub.url}/healthz`, { method: 'POST' })).text(),
        'mounted POST /healthz',
      );
    } finally {
      await hub.close();
    }
  });
});
