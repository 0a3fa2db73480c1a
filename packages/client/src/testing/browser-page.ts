/**
 * The page of the browser test: opens the same stream with the browser's native EventSource and
 * with the bundle's, and records everything each of them dispatches, until each is CLOSED.
 */
export const BROWSER_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>EventSource parity</title>
<script type="module">
import { connect, EventSource as SpoutEventSource } from '/spout-client.js';

const NAMED = ['tick', 'custom', 'open-ended'];

function record(Implementation, client) {
  return new Promise((resolve) => {
    const log = [];
    const source = new Implementation('/events?client=' + client);
    const note = (event) => {
      const entry = { type: event.type, readyState: source.readyState };
      if (event instanceof MessageEvent) Object.assign(entry, { data: event.data, lastEventId: event.lastEventId, origin: event.origin });
      log.push(entry);
      if (event.type === 'error' && source.readyState === Implementation.CLOSED) resolve({ log, url: source.url, withCredentials: source.withCredentials });
    };
    source.onopen = note;
    source.onmessage = note;
    source.onerror = note;
    for (const type of NAMED) source.addEventListener(type, note);
  });
}

async function iterate() {
  const events = [];
  const stream = connect('/events?client=connect', { headers: { 'x-client': 'connect' }, reconnect: { minDelay: 0 } });
  for await (const event of stream) events.push([event.type, event.data, event.lastEventId]);
  return events;
}

const [native, bundle, connected] = await Promise.all([
  record(EventSource, 'native'),
  record(SpoutEventSource, 'bundle'),
  iterate(),
]);
window.results = { native, bundle, connected };
</script>
`;

/** The stream each client gets: request 0 covers the spec's parsing rules, request 1 echoes Last-Event-ID, request 2 is a 204. */
export function browserStreamBody(index: number, lastEventId: string | undefined): string | undefined {
  if (index === 0) {
    return [
      '\uFEFFretry: 50',
      ': a comment is ignored',
      'data: first',
      'data: second line',
      '',
      'id: 7',
      'event: tick',
      'data: named',
      '',
      'event: tick',
      'event:',
      'data: empty event field resets the type',
      '',
      'id: bad\0id',
      'data:no space',
      'unknown: field',
      '',
      'data',
      '',
      'id: é€ 😀',
      'event: custom',
      'data:  two spaces keep one\r\rdata: after CR\r\n\r\n',
      'data: pending at the end is dropped',
    ].join('\n');
  }
  if (index === 1) return `event: open-ended\ndata: resumed from ${lastEventId ?? '(none)'}\n\n`;
  return undefined;
}
