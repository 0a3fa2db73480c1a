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

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/** POSTs `body` and resolves with the status once the whole answer is read. */
function post(port: number, path: string, headers: Record<string, string>, body: string): Promise<number> {
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

function publishOne(command: PublishCommand, sequence: number): Promise<number> {
  if (command.kind === 'nchan') {
    return post(command.port, '/pub', { 'content-type': 'text/plain' }, payload(sequence));
  }
  const headers = {
    authorization: `Bearer ${command.token}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  const body = new URLSearchParams({ topic: TOPIC, data: payload(sequence) }).toString();
  return post(command.port, '/.well-known/mercure', headers, body);
}

async function publishAll(command: PublishCommand): Promise<number> {
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < command.updates) {
      const status = await publishOne(command, next++);
      if (status < 200 || status > 299) throw new Error(`publish answered ${status}`);
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, loop));
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
