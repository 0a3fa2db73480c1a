/** Starts test servers and closes them all after the test file. */
import { after } from 'node:test';
import { startServer, type TestServer } from './test-server.ts';

/** Returns a `serve` function for one test file; its servers close when the file's tests end. */
export function serverPool(): (...args: Parameters<typeof startServer>) => Promise<TestServer> {
  const servers: TestServer[] = [];
  after(() => Promise.all(servers.map((server) => server.close())));
  return async (...args) => {
    const server = await startServer(...args);
    servers.push(server);
    return server;
  };
}
