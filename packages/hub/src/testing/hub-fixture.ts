/**
 * One test hub for a whole suite: started before its tests, closed after them.
 */
import { after, before } from 'node:test';
import type { ListenOptions } from '../server.ts';
import { startTestHub, type TestHub, type TestHubOptions } from './test-hub.ts';

/** The hub's options, or a function that makes them once earlier hooks have run (e.g. a store on a started Redis). */
export type TestHubFixtureOptions = TestHubOptions | (() => TestHubOptions | Promise<TestHubOptions>);

/**
 * Starts a test hub (see {@link startTestHub}) before the calling suite's tests and closes it after
 * them. The returned hub forwards to the started one: read it inside tests and inside hooks
 * registered after this call (node:test runs a suite's hooks in the order they were registered).
 */
export function useTestHub(options: TestHubFixtureOptions = {}, listenOptions?: ListenOptions): TestHub {
  let running: TestHub | undefined;
  before(async () => {
    running = await startTestHub(typeof options === 'function' ? await options() : options, listenOptions);
  });
  after(async () => {
    await running?.close();
  });
  const current = (): TestHub => {
    if (!running) throw new Error('the test hub is not started yet: use it inside a test or a later hook');
    return running;
  };
  return {
    get hub() {
      return current().hub;
    },
    get server() {
      return current().server;
    },
    get url() {
      return current().url;
    },
    get hubUrl() {
      return current().hubUrl;
    },
    close: () => current().close(),
    token: (claims) => current().token(claims),
    publish: (fields, token) => current().publish(fields, token),
    subscribeUrl: (topics, extra) => current().subscribeUrl(topics, extra),
    urlWith: (params) => current().urlWith(params),
  };
}
