import { createConnection, createServer, type Socket } from 'node:net';

/** A loopback TCP proxy whose existing connections can be silenced, as a network partition would. */
export interface TcpProxy {
  port: number;
  /** Existing connections stop carrying bytes in both directions but stay open; new ones work. */
  silenceExisting(): void;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port forwarding to 127.0.0.1:`targetPort`. */
export function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<{ client: Socket; upstream: Socket; silenced: boolean }>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    const pair = { client, upstream, silenced: false };
    pairs.add(pair);
    client.on('data', (chunk) => pair.silenced || upstream.write(chunk));
    upstream.on('data', (chunk) => pair.silenced || client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) return reject(new Error('no proxy port'));
      resolve({
        port: address.port,
        silenceExisting: () => {
          for (const pair of pairs) pair.silenced = true;
        },
        close: () =>
          new Promise((done) => {
            for (const pair of pairs) {
              pair.client.destroy();
              pair.upstream.destroy();
            }
            server.close(() => done());
          }),
      });
    });
  });
}
