/**
 * Child process: the load generator's publishing side. On each `PublishCommand` it publishes
 * `updates` single updates (each payload carries its send time) from `concurrency` concurrent HTTP
 * publishers, as fast as the server answers, and answers `{ published }` once all are accepted.
 * The hub gets Mercure form posts with a publisher JWT; nchan gets the payload as the body.
 */
import { Agent, request } from 'node:http';
import { payload } from '../hub/workload.ts';
import { PUBLISHER_ADDRESS, type ServerKind, TOPIC } from './server.ts';

export interface PublishCommand {
  kind: ServerKind;
  port: number;
  token: string;
  updates: number;
  concurrency: number;
}

/** POSTs `body` and resolves with the status once the whole answer is read. */
function post(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string>,
  body: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { port, path, method: 'POST', headers, agent, localAddress: PUBLISHER_ADDRESS };
    const req = request({ host: '127.0.0.1', ...options }, (res) => {
      res.on('data', () => {});
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
}

function publishOne(agent: Agent, command: PublishCommand, sequence: number): Promise<number> {
  if (command.kind === 'nchan') {
    return post(agent, command.port, '/pub', { 'content-type': 'text/plain' }, payload(sequence));
  }
  const headers = {
    authorization: `Bearer ${command.token}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const body = new URLSearchParams({ topic: TOPIC, data: payload(sequence) }).toString();
  return post(agent, command.port, '/.well-known/mercure', headers, body);
}

/**
 * Publishes a burst over keep-alive connections of its own, closed at its end. [why] A connection kept
 * from the burst before would have been idle for longer than the server keeps one (5 s), and the server
 * could close it just as the next request went out on it (ECONNRESET).
 */
async function publishAll(command: PublishCommand): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < command.updates) {
      const status = await publishOne(agent, command, next++);
      if (status < 200 || status > 299) throw new Error(`publish answered ${status}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: command.concurrency }, loop));
  } finally {
    agent.destroy();
  }
  return next;
}

process.on('message', (command: PublishCommand) => {
  publishAll(command).then(
    (published) => process.send?.({ published }),
    (error: unknown) => process.send?.({ error: String(error) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
