/**
 * Child process for load tests: opens many event streams to a loopback
 * server (raw sockets, so the client side stays cheap), prints `ready <n>`
 * once every response's headers arrived, and drops them all on `drop`.
 * Usage: node connect-many.ts <port> <count> [host]
 *
 * Connects from a random loopback source address (127.0.0.2-254): each has its
 * own ephemeral ports, so runs close together do not run out of them while
 * earlier connections sit in TIME_WAIT.
 */
import net from 'node:net';

const [port, count, host = '127.0.0.1'] = process.argv.slice(2);
const total = Number(count);
const sockets: net.Socket[] = [];
let ready = 0;
const BATCH = 500;
const localAddress = `127.0.0.${2 + Math.floor(Math.random() * 253)}`;

function open(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: Number(port), host, localAddress });
    sockets.push(socket);
    socket.once('error', reject);
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 200')) reject(new Error('unexpected response'));
      ready++;
      resolve();
    });
    socket.write(`GET /events HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  });
}

for (let done = 0; done < total; done += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, total - done) }, open));
}
process.stdout.write(`ready ${ready}\n`);
process.stdin.once('data', () => {
  for (const socket of sockets) socket.destroy();
  process.stdout.write('dropped\n');
  process.exit(0);
});
