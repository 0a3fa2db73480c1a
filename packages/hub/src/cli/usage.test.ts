/**
 * The `spout` command used wrongly, as a new user would (issue 13): usage errors exit 2 with a
 * "did you mean", every problem of a command line is named at once, a URL that is not a hub fails
 * clearly (never following a redirect as a GET), and an unreachable hub names the URL and the cause.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { run } from '../testing/run-cli.ts';

/** Runs `spout <args>` to its end: exit code and stderr. */
async function spout(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = run(args);
  await once(child.process, 'close');
  return { code: child.process.exitCode, stderr: child.stderr, stdout: child.stdout.join('\n') };
}

describe('spout usage errors', () => {
  it('exits 2 with a "did you mean" for an unknown option of every command and an unknown command', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['pub', 'http://127.0.0.1:3000/', '--tpoic', 'x'],
        /unknown option --tpoic for spout pub; did you mean --topic\?/,
      ],
      [['sub', 'http://127.0.0.1:3000/', '--lst-event-id', '1'], /did you mean --last-event-id\?/],
      [['token', '--secert', 'k'], /unknown option --secert for spout token; did you mean --secret\?/],
      [['hub', '--prot', '3000'], /did you mean --port\?/],
      [['sbu'], /unknown command "sbu"; did you mean sub\?/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await spout(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.match(stderr, message);
    }
  });

  it('names --ttl and its unit for a bare number', async () => {
    const { code, stderr } = await spout(['token', '--secret', 'k', '--publish', '*', '--ttl', '5']);
    assert.equal(code, 2);
    assert.match(
      stderr,
      /--ttl 5: a number alone would be milliseconds; give a duration with its unit, e\.g\. 90s/,
    );
  });

  it('names every problem of the command line at once', async () => {
    const token = await spout(['token', '--ttl', '5', '--alg', 'RS256']);
    assert.equal(token.code, 2);
    for (const part of ['--secret', '--publish or --subscribe', '--alg', '--ttl 5'])
      assert.ok(token.stderr.includes(part), `${part} in ${token.stderr}`);
    const pub = await spout(['pub', 'not a url', '--retry', 'soon']);
    assert.equal(pub.code, 2);
    for (const part of ['not an http(s) URL', '--topic', '--retry'])
      assert.ok(pub.stderr.includes(part), `${part} in ${pub.stderr}`);
  });
});

describe('spout pub to something that is not a hub', () => {
  let server: Server;
  let origin = '';
  const gets: string[] = [];
  before(async () => {
    server = createServer((req, res) => {
      if (req.method === 'GET') gets.push(req.url ?? '');
      if (req.url === '/redirect') res.writeHead(302, { location: '/ui/' }).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>UI</title>');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('fails on a redirect, naming it, without following it as a GET', async () => {
    const { code, stderr, stdout } = await spout([
      'pub',
      `${origin}/redirect`,
      '--topic',
      't',
      '--data',
      'x',
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /answered 302, a redirect to http:\/\/127\.0\.0\.1:\d+\/ui\/.*not a hub/);
    assert.deepEqual(gets, []);
  });

  it('fails on a web page instead of printing it', async () => {
    const { code, stderr, stdout } = await spout(['pub', `${origin}/ui/`, '--topic', 't', '--data', 'x']);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /answered 200 with a web page \(text\/html\), not a hub's answer/);
  });

  it('names the URL and the cause when nothing answers', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/.well-known/mercure`;
    closed.close();
    await once(closed, 'close');
    const { code, stderr } = await spout(['pub', url, '--topic', 't']);
    assert.equal(code, 1);
    assert.ok(stderr.includes(`cannot reach ${url}: connection refused (ECONNREFUSED)`), stderr);
  });
});
