/**
 * Random publish and subscribe requests against a `spout hub` process verifying RS256
 * tokens: forms, JSON, batches, selectors, ids in any script or malformed, raw UTF-8
 * Last-Event-ID headers and every kind of bad token. Whatever arrives, the hub never
 * answers 5xx, never dies, never lets a token it must refuse publish, says why it refuses
 * in one line, and every id it accepts can be resumed from.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { temporaryDirectory } from '../../src/store/testing/temp-dir.ts';
import { subscribeUrlOf } from '../../src/testing/test-hub.ts';
import {
  type Answer,
  exchange,
  fromUtf8HeaderBytes,
  type HubProcess,
  isOneLineReason,
  isSendableHeader,
  rawExchange,
  recordFigure,
  scaled,
  startHubProcess,
  utf8HeaderBytes,
} from './testing/harness.ts';

/** A token the fuzzer presents, and what the hub must make of it. */
interface TokenCase {
  kind: string;
  token: string;
  /** May publish any topic (a valid RS256 token with `mercure.publish: ["*"]`). */
  publishes: boolean;
  /** Passes verification (signature, algorithm, time claims). */
  verifies: boolean;
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = (): number => Math.floor(Date.now() / 1000);

function sign(key: KeyObject | Uint8Array, claims: Record<string, unknown>, alg = 'RS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(key);
}

/** Counterexamples name the token kind instead of printing the token. */
const named = (tokenCase: TokenCase): TokenCase =>
  Object.assign(tokenCase, { [fc.toStringMethod]: () => tokenCase.kind });

async function tokenCases(privateKey: KeyObject, publicPem: string): Promise<TokenCase[]> {
  const star = { mercure: { publish: ['*'], subscribe: ['*'] } };
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const valid = (kind: string, claims: Record<string, unknown>, publishes: boolean) =>
    sign(privateKey, claims).then((token) => ({ kind, token, publishes, verifies: true }));
  const refused = (kind: string, token: string) => ({ kind, token, publishes: false, verifies: false });
  const publisher = await sign(privateKey, star);
  return [
    await valid('publisher', star, true),
    // Large, but under Node's 16 KiB limit on request heads (a larger one has its own test).
    await valid('huge publisher (8 KB)', { ...star, pad: 'p'.repeat(8_000) }, true),
    // [spec, later drafts] an empty mercure.publish authorizes nothing.
    await valid('empty mercure.publish', { mercure: { publish: [] } }, false),
    await valid('subscriber only', { mercure: { subscribe: ['*'] } }, false),
    await valid('no mercure claim', { sub: 'x' }, false),
    refused('alg none', `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(star)}.`),
    refused(
      'alg none, signature kept',
      `${base64url({ alg: 'none' })}.${base64url(star)}.${publisher.split('.')[2]}`,
    ),
    // Algorithm confusion: HS256 keyed with the public key the hub verifies RS256 with.
    refused('HS256 signed with the RSA public key', await sign(Buffer.from(publicPem), star, 'HS256')),
    refused('expired', await sign(privateKey, { ...star, exp: now() - 3600 })),
    refused('not yet valid', await sign(privateKey, { ...star, nbf: now() + 3600 })),
    refused('signed with another key', await sign(other, star)),
    refused('signature truncated', publisher.slice(0, -4)),
    refused(
      'payload swapped',
      `${publisher.split('.')[0]}.${base64url({ mercure: { publish: ['*'] }, x: 1 })}.${publisher.split('.')[2]}`,
    ),
  ];
}

/** How a token travels. A cookie without Origin is refused (CSRF); a Basic scheme carries no bearer token. */
type Placement = 'header' | 'query' | 'cookie' | 'lowercase scheme' | 'basic scheme' | 'two spaces';

function credentials(
  token: string,
  placement: Placement,
): { headers: Record<string, string>; query: string } {
  switch (placement) {
    case 'header':
      return { headers: { authorization: `Bearer ${token}` }, query: '' };
    case 'query':
      return { headers: {}, query: `authorization=${encodeURIComponent(token)}` };
    case 'cookie':
      return { headers: { cookie: `mercureAuthorization=${token}` }, query: '' };
    case 'lowercase scheme':
      return { headers: { authorization: `bearer ${token}` }, query: '' };
    case 'basic scheme':
      return { headers: { authorization: `Basic ${token}` }, query: '' };
    case 'two spaces':
      return { headers: { authorization: `Bearer  ${token}` }, query: '' };
  }
}

/** Whether a token presented this way can authorize a request. */
const mayCarryToken = (placement: Placement): boolean =>
  placement !== 'cookie' && placement !== 'basic scheme';

const PLACEMENTS: readonly Placement[] = [
  'header',
  'query',
  'cookie',
  'lowercase scheme',
  'basic scheme',
  'two spaces',
];

/** A header three times as often as each other way. */
const placementArb = fc.constantFrom<Placement>('header', 'header', ...PLACEMENTS);

/** No lone surrogate: the text survives UTF-8 (a `u` regex sees paired surrogates as one code point). */
const isWellFormed = (text: string): boolean => !/[\ud800-\udfff]/u.test(text);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Ids in any script, malformed ones, reserved ones and very long ones. */
const idArb = fc.oneof(
  fc.constantFrom(
    'ид-1',
    '☃-1',
    '😀-1',
    '\ud800-1',
    'x\udfff',
    'é-1',
    '\u2028',
    '\u0085-1',
    'a\u0000b',
    'a\nb',
  ),
  fc.constantFrom('earliest', '#fragment', '', ' ', 'urn:uuid:00000000-0000-7000-8000-000000000000'),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 1 }), loneSurrogate), maxLength: 8 }),
  fc
    .tuple(fc.constantFrom('x', 'λ', '😀'), fc.integer({ min: 1_000, max: 60_000 }))
    .map(([unit, count]) => unit.repeat(count)),
);

/** Ids a publisher would choose (unique, ASCII) as often as odd ones. */
const publishIdArb = fc.oneof(
  fc.uuid().map((uuid) => `id-${uuid}`),
  idArb,
);

/** Topics: plain, URI-like, reserved, templates, with controls. */
const topicArb = fc.oneof(
  { weight: 3, arbitrary: fc.webUrl() },
  fc.constantFrom(
    'https://example.com/fuzz/1',
    'https://example.com/fuzz/{id}',
    '*',
    '/.well-known/mercure/subscriptions/x',
  ),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** Mostly the well-formed value, sometimes anything: enough updates get through to test what follows. */
const mostly = <T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<unknown>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: any });

const scalarArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', '0', '-1', '99999999999'),
);
const anyJson = fc.jsonValue({ maxDepth: 2 });

const formArb = fc
  .tuple(
    mostly(fc.array(topicArb, { minLength: 1, maxLength: 3 }), fc.constant([])) as fc.Arbitrary<string[]>,
    fc.option(publishIdArb, { freq: 2 }),
    fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('data', 'type', 'retry', 'private', 'topic', 'id'),
          fc.string({ maxLength: 6 }),
        ),
        scalarArb,
      ),
      { maxLength: 2 },
    ),
  )
  .map(([topics, id, rest]) => {
    const fields: [string, string][] = topics.map((topic) => ['topic', topic]);
    if (id !== null) fields.push(['id', id]);
    return { fields: [...fields, ...rest], id: id ?? undefined };
  });

const jsonUpdateArb = fc.record(
  {
    topic: mostly(fc.oneof(topicArb, fc.array(topicArb, { maxLength: 3 })), anyJson),
    data: mostly(scalarArb, anyJson),
    id: mostly(publishIdArb, anyJson),
    type: mostly(fc.string({ maxLength: 10 }), anyJson),
    retry: mostly(fc.nat(), scalarArb),
    private: mostly(fc.boolean(), anyJson),
  },
  { requiredKeys: ['topic'] },
);

/** A publish body with the content type it claims, and the ids it asked for (undefined: generated). */
interface PublishBody {
  contentType: string | undefined;
  body: string;
  /** The ids asked for, in order, one per update; undefined for raw bodies. */
  ids: unknown[] | undefined;
}

const publishBodyArb: fc.Arbitrary<PublishBody> = fc.oneof(
  formArb.map(({ fields, id }) => ({
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams(fields).toString(),
    ids: [id],
  })),
  jsonUpdateArb.map((update) => ({
    contentType: 'application/json',
    body: JSON.stringify(update),
    ids: [update.id],
  })),
  fc.array(jsonUpdateArb, { maxLength: 5 }).map((batch) => ({
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(batch),
    ids: batch.map((update) => update.id),
  })),
  fc
    .tuple(
      fc.constantFrom(
        undefined,
        'text/plain',
        'application/json',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
      ),
      fc.string({ unit: 'binary', maxLength: 200 }),
    )
    .map(([contentType, body]) => ({ contentType, body, ids: undefined })),
);

function assertRefusalExplained(answer: Answer, what: string): void {
  assert.ok(answer.status < 500, `${what}: answered ${answer.status}: ${answer.body}`);
  if (answer.status >= 400) {
    assert.ok(
      isOneLineReason(answer.body),
      `${what}: ${answer.status} without a one-line reason: ${JSON.stringify(answer.body)}`,
    );
  }
}

describe('fuzzed requests against a hub process', { timeout: 170_000 }, () => {
  let hub: HubProcess;
  let tokens: TokenCase[];
  let dir: Awaited<ReturnType<typeof temporaryDirectory>>;

  before(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    tokens = (await tokenCases(privateKey, publicPem)).map(named);
    dir = await temporaryDirectory();
    // As deployed by default: the web UI is served on the hub port too.
    hub = await startHubProcess(['--db-path', join(dir.path, 'hub.db'), '--ui'], {
      SPOUT_JWT_KEY: publicPem,
    });
  });
  after(async () => {
    await hub?.stop();
    await dir?.dispose();
  });

  /** Log lines of level error (50) or fatal (60): a failure of the hub, not of the request. */
  const serverErrors = (): string[] => hub.child.stdout.filter((line) => /"level":[56]0/.test(line));

  /** The hub process is alive and answers. */
  async function assertAlive(): Promise<void> {
    assert.equal(hub.child.process.exitCode, null, `the hub exited: ${hub.child.stderr}`);
    assert.equal((await exchange(`${hub.url}/healthz`, {})).status, 200);
  }

  it('a fuzzed publish never gets a 5xx, never publishes with a token that must be refused, and explains every refusal in one line', async () => {
    // The publisher's token as often as all the others together, so that random bodies get stored too.
    const tokenArb = fc.option(
      fc.tuple(fc.oneof(fc.constant(tokens[0]!), fc.constantFrom(...tokens)), placementArb),
      { freq: 6 },
    );
    let runs = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(publishBodyArb, tokenArb, async (publish, credential) => {
        runs++;
        const { headers, query } =
          credential === null ? { headers: {}, query: '' } : credentials(credential[0].token, credential[1]);
        if (publish.contentType !== undefined) headers['content-type'] = publish.contentType;
        const answer = await exchange(`${hub.hubUrl}${query === '' ? '' : `?${query}`}`, {
          method: 'POST',
          headers,
          body: publish.body,
        });
        const what = `publish with ${credential === null ? 'no token' : `${credential[0].kind} (${credential[1]})`}`;
        assertRefusalExplained(answer, what);
        if (answer.status !== 200) return;
        assert.ok(credential?.[0].publishes === true && mayCarryToken(credential[1]), `${what} was accepted`);
        const batch = String(answer.headers['content-type']).startsWith('application/json');
        const ids = batch ? (JSON.parse(answer.body) as string[]) : [answer.body];
        if (publish.ids !== undefined) assert.equal(ids.length, publish.ids.length, 'one id per update');
        accepted += ids.length;
      }),
      { numRuns: scaled(300), endOnFailure: true },
    );
    await assertAlive();
    recordFigure('fuzz: publish requests', runs);
    recordFigure('fuzz: updates accepted', accepted);
  });

  it('a well-formed publish is accepted only with a token that may publish, presented as a bearer token', async () => {
    for (const tokenCase of tokens) {
      for (const placement of PLACEMENTS) {
        const { headers, query } = credentials(tokenCase.token, placement);
        headers['content-type'] = 'application/x-www-form-urlencoded';
        const answer = await exchange(`${hub.hubUrl}${query === '' ? '' : `?${query}`}`, {
          method: 'POST',
          headers,
          body: 'topic=https%3A%2F%2Fexample.com%2Ftokens&data=x',
        });
        const what = `publish with ${tokenCase.kind} (${placement})`;
        assertRefusalExplained(answer, what);
        if (answer.status === 200)
          assert.ok(tokenCase.publishes && mayCarryToken(placement), `${what} was accepted`);
      }
    }
  });

  it('every id the hub accepts, in any script or length, can be resumed from with a raw UTF-8 Last-Event-ID header', async () => {
    const [publisher] = tokens;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(idArb, { freq: 4 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('form', 'json', 'batch'),
        async (asked, encoding) => {
          const updates = asked.map((id) => ({
            topic: 'https://example.com/resume',
            ...(id === null ? {} : { id }),
          }));
          const sent =
            encoding === 'form'
              ? {
                  type: 'application/x-www-form-urlencoded',
                  body: new URLSearchParams(Object.entries(updates[0]!)).toString(),
                }
              : {
                  type: 'application/json',
                  body: JSON.stringify(encoding === 'batch' ? updates : updates[0]),
                };
          const published = await exchange(hub.hubUrl, {
            method: 'POST',
            headers: { authorization: `Bearer ${publisher!.token}`, 'content-type': sent.type },
            body: sent.body,
          });
          assertRefusalExplained(published, `publish ${encoding}`);
          if (published.status !== 200) return;
          const ids = encoding === 'batch' ? (JSON.parse(published.body) as string[]) : [published.body];
          for (const [i, id] of ids.entries()) {
            accepted++;
            // Ids holding control characters cannot travel in a header: they resume by query parameter.
            const header = utf8HeaderBytes(id);
            const answer = isSendableHeader(header)
              ? await exchange(`${hub.hubUrl}?topic=*`, { headers: { 'last-event-id': header } })
              : await exchange(`${hub.hubUrl}?${new URLSearchParams({ topic: '*', lastEventID: id })}`, {});
            const shown = id.length > 60 ? `${id.slice(0, 30)}…(${id.length} UTF-16 units)` : id;
            assert.equal(
              answer.status,
              200,
              `resume from ${JSON.stringify(shown)}: ${answer.status} ${answer.body}`,
            );
            // The hub knew the id, so it resumes right after it (an ill-formed id sent as JSON cannot come back).
            const wellFormed = encoding === 'form' || isWellFormed(asked[i] ?? '');
            if (wellFormed) {
              assert.equal(
                fromUtf8HeaderBytes(String(answer.headers['last-event-id'])),
                id,
                `resume from ${shown}`,
              );
            }
          }
        },
      ),
      { numRuns: scaled(150), endOnFailure: true },
    );
    await assertAlive();
    recordFigure('fuzz: accepted ids resumed from', accepted);
  });

  it('a fuzzed subscription never gets a 5xx, never opens with a token that fails verification, and explains every refusal in one line', async () => {
    // Requests with heads over Node's 16 KiB limit are refused before the hub sees them (tested on their own).
    const lastEventIdArb = fc.option(idArb.filter((id) => Buffer.byteLength(id) < 2_000));
    const selectorArb = fc.oneof(
      topicArb,
      fc.string({ unit: 'grapheme', maxLength: 1200 }),
      fc.constantFrom('{', '}', '{+', '{?x*}', 'a{b}{c}{d}{e}{f}{g}{h}{i}{j}{k}{l}{m}{n}{o}{p}{q}'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(selectorArb, { maxLength: 40 }),
        lastEventIdArb,
        fc.constantFrom('header', 'header', 'query', 'both'),
        fc.option(fc.tuple(fc.constantFrom(...tokens), placementArb), { freq: 3 }),
        async (selectors, lastEventId, idPlacement, credential) => {
          const { headers, query } =
            credential === null
              ? { headers: {}, query: '' }
              : credentials(credential[0].token, credential[1]);
          const params = new URLSearchParams(selectors.map((selector) => ['topic', selector]));
          // Ids holding control characters cannot travel in a header (nor would a browser send them).
          const header = lastEventId === null ? '' : utf8HeaderBytes(lastEventId);
          const inHeader = idPlacement !== 'query' && isSendableHeader(header);
          if (lastEventId !== null && (idPlacement !== 'header' || !inHeader))
            params.append('lastEventID', lastEventId);
          if (lastEventId !== null && inHeader) headers['last-event-id'] = header;
          const search = [params.toString(), query].filter((part) => part !== '').join('&');
          const answer = await exchange(`${hub.hubUrl}?${search}`, { headers });
          const what = `subscribe with ${credential === null ? 'no token' : `${credential[0].kind} (${credential[1]})`}`;
          assertRefusalExplained(answer, what);
          if (answer.status === 200 && credential !== null && mayCarryToken(credential[1])) {
            assert.ok(credential[0].verifies, `${what} was opened`);
          }
        },
      ),
      { numRuns: scaled(300), endOnFailure: true },
    );
    await assertAlive();
  });

  it('a fuzzed request target or method never gets a 5xx and every refusal says why in one line', async () => {
    const ui = await exchange(hub.url, { path: '/ui/' });
    assert.equal(ui.status, 200, 'the web UI is served, so fuzzed targets reach it too');
    const pathChar = fc.constantFrom(
      ..."/[]{}%?&=#:@!$'()*+,;~.-_aZ09".split(''),
      '%ZZ',
      '%00',
      '%C3%28',
      '%F0%9F%98%80',
      '%25',
      '%',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(
            '//[',
            '/[',
            '//',
            '/.well-known/mercure?topic=%',
            '/.well-known/mercure/subscriptions/%',
            '/%ZZ',
          ),
          fc.string({ unit: pathChar, maxLength: 30 }).map((tail) => `/${tail}`),
          fc.string({ unit: pathChar, maxLength: 30 }).map((tail) => `/.well-known/mercure?${tail}`),
          fc.string({ unit: pathChar, maxLength: 30 }).map((tail) => `/.well-known/mercure/${tail}`),
        ),
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD'),
        async (path, method) => {
          const answer = await exchange(hub.url, { method, path });
          assert.ok(answer.status < 500, `${method} ${path}: ${answer.status} ${answer.body}`);
          if (answer.status >= 400 && method !== 'HEAD') {
            assert.ok(isOneLineReason(answer.body), `${method} ${path}: ${answer.status} without a reason`);
          }
        },
      ),
      { numRuns: scaled(300), endOnFailure: true },
    );
    await assertAlive();
  });

  it('an id in any script is refused at publish with a reason, or resumes right after itself from a raw UTF-8 Last-Event-ID header', async () => {
    const [publisher] = tokens;
    const topic = 'https://example.com/scripts';
    for (const id of ['é-1', 'ид-1', '☃-1', '😀-1']) {
      const published = await exchange(hub.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${publisher!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ topic, id: `${id}:scripts`, data: id }),
      });
      if (published.status === 400) {
        assert.ok(isOneLineReason(published.body), `${id}: 400 without a reason`);
        continue;
      }
      assert.equal(published.status, 200, `${id}: ${published.body}`);
      const resumed = await exchange(subscribeUrlOf(hub.hubUrl, [topic]), {
        headers: { 'last-event-id': utf8HeaderBytes(`${id}:scripts`) },
      });
      assert.equal(resumed.status, 200, `${id}: ${resumed.body}`);
      assert.equal(fromUtf8HeaderBytes(String(resumed.headers['last-event-id'])), `${id}:scripts`, id);
    }
    await assertAlive();
  });

  it('an id too long to come back as a Last-Event-ID header is refused at publish with a reason, or resumable', async () => {
    const [publisher] = tokens;
    for (const length of [8_000, 20_000, 200_000]) {
      const id = `long-${'😀'.repeat(length / 2)}`;
      const published = await exchange(hub.hubUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${publisher!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ topic: 'https://example.com/long', id }),
      });
      if (published.status === 400) {
        assert.ok(isOneLineReason(published.body), `${length}: 400 without a reason`);
        continue;
      }
      assert.equal(published.status, 200, `${length}: ${published.status} ${published.body}`);
      const resumed = await exchange(`${hub.hubUrl}?topic=*`, {
        headers: { 'last-event-id': utf8HeaderBytes(id) },
      });
      assert.equal(
        resumed.status,
        200,
        `resume from an id of ${id.length} UTF-16 units: ${resumed.status} ${resumed.body}`,
      );
    }
    await assertAlive();
  });

  it('a request head over the size limit (a 64 KB token) is refused with a 4xx and a one-line reason', async () => {
    const head = [
      `POST ${new URL(hub.hubUrl).pathname} HTTP/1.1`,
      `host: ${new URL(hub.url).host}`,
      `authorization: Bearer ${'e'.repeat(64_000)}`,
      'content-type: application/x-www-form-urlencoded',
      'content-length: 7',
      'connection: close',
    ].join('\r\n');
    const answer = await rawExchange(hub.url, `${head}\r\n\r\ntopic=a`);
    assert.ok(answer.status >= 400 && answer.status < 500, `answered ${answer.status}`);
    assert.ok(
      isOneLineReason(answer.body),
      `${answer.status} without a reason: ${JSON.stringify(answer.body)}`,
    );
    await assertAlive();
  });

  it('a publish whose body is cut off by the client is not logged as a server error', async () => {
    const [publisher] = tokens;
    const errorsBefore = serverErrors().length;
    const target = new URL(hub.hubUrl);
    const socket = connect(Number(target.port), target.hostname);
    socket.on('error', () => {});
    socket.write(
      `POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\nauthorization: Bearer ${publisher!.token}\r\n` +
        'content-type: application/x-www-form-urlencoded\r\ncontent-length: 1000\r\n\r\ntopic=cut&data=',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await assertAlive();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.deepEqual(serverErrors().slice(errorsBefore), []);
  });

  it('nothing the fuzzer sent was logged as a server error', () => {
    assert.deepEqual(serverErrors().slice(0, 3), []);
  });

  it('the hub, fuzzed, still shuts down gracefully (exit code 0)', async () => {
    assert.equal(await hub.stop(), 0, hub.child.stderr);
  });
});
