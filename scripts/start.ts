/**
 * `npm start`: a small live event stream, encoded by @spout/protocol, on a
 * printed local port. Watch it with `curl -N <url>` or open it in a browser.
 * (Once the hub lands, `npm start` runs the hub with its demos instead.)
 */
import { createServer } from 'node:http';
import { encodeComment, encodeEvent } from '@spout/protocol';

const port = Number(process.env.PORT ?? 0);
const clients = new Set<import('node:http').ServerResponse>();
let sequence = 0;

const server = createServer((request, response) => {
  if (request.url !== '/events') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(
      '<pre id="log"></pre><script>new EventSource("/events").addEventListener("tick",' +
        '(e)=>{document.getElementById("log").textContent+=e.lastEventId+" "+e.data+"\\n"})</script>',
    );
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
  });
  response.write(encodeEvent({ retry: 2000 }));
  clients.add(response);
  request.on('close', () => clients.delete(response));
});

setInterval(() => {
  sequence++;
  const payload = JSON.stringify({ n: sequence, at: new Date().toISOString() });
  const bytes = encodeEvent({ id: String(sequence), event: 'tick', data: payload });
  for (const client of clients) client.write(bytes);
}, 1000).unref();
setInterval(() => {
  for (const client of clients) client.write(encodeComment('keep-alive'));
}, 15_000).unref();

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  console.log(
    `Spout demo stream: curl -N http://127.0.0.1:${actual}/events  (page: http://127.0.0.1:${actual}/)`,
  );
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    for (const client of clients) client.end();
    server.close(() => process.exit(0));
  });
}
