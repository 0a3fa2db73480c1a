/**
 * Child process: the load generator's publishing side. On each `PublishCommand` it publishes
 * `updates` single updates (each payload carries its send time) from `concurrency` concurrent HTTP
 * publishers, as fast as the server answers, and answers `{ published }` once all are accepted.
 * The hub gets Mercure form posts with a publisher JWT; nchan gets the payload as the body.
 */
import { payload } from '../hub/workload.ts';
import { type ServerKind, TOPIC } from './server.ts';

export interface PublishCommand {
  kind: ServerKind;
  port: number;
  token: string;
  updates: number;
  concurrency: number;
}

function publishOne(command: PublishCommand, sequence: number): Promise<Response> {
  if (command.kind === 'nchan') {
    return fetch(`http://127.0.0.1:${command.port}/pub`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: payload(sequence),
    });
  }
  return fetch(`http://127.0.0.1:${command.port}/.well-known/mercure`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${command.token}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ topic: TOPIC, data: payload(sequence) }).toString(),
  });
}

async function publishAll(command: PublishCommand): Promise<number> {
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < command.updates) {
      const response = await publishOne(command, next++);
      if (!response.ok) throw new Error(`publish answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
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
