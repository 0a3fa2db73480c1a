import { clock, Layout, StateBadge } from '../components/layout.ts';
import { type DebugEntry, type DebugState, type DebugStream, openDebugStream } from '../lib/debug-stream.ts';
import { html, useEffect, useRef, useState } from '../lib/html.ts';
import { type PublishResult, publish } from '../lib/hub.ts';
import { loadInfo } from '../lib/info.ts';
import { mount } from '../lib/mount.ts';

/** The log keeps the newest entries only, so a busy topic cannot grow the page without bound. */
const MAX_ENTRIES = 500;

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

function Subscriber(props: { devToken: string }) {
  const params = new URLSearchParams(location.search);
  const [topics, setTopics] = useState(params.getAll('topic').join('\n') || '*');
  const [token, setToken] = useState(params.get('token') ?? '');
  const [from, setFrom] = useState(params.get('lastEventID') ?? '');
  const [showComments, setShowComments] = useState(false);
  const [state, setState] = useState<DebugState>('stopped');
  const [entries, setEntries] = useState<DebugEntry[]>([]);
  const [counts, setCounts] = useState({ events: 0, reconnects: 0 });
  const stream = useRef<DebugStream | undefined>(undefined);

  const start = (): void => {
    stream.current?.close();
    setEntries([]);
    setCounts({ events: 0, reconnects: 0 });
    stream.current = openDebugStream({
      topics: lines(topics),
      token: token.trim() || undefined,
      lastEventId: from.trim() || undefined,
      onState: setState,
      onEntry: (entry) => {
        setEntries((previous) => [entry, ...previous].slice(0, MAX_ENTRIES));
        if (entry.kind === 'event') setCounts((c) => ({ ...c, events: c.events + 1 }));
        if (entry.kind === 'connection' && entry.text.startsWith('reconnect'))
          setCounts((c) => ({ ...c, reconnects: c.reconnects + 1 }));
      },
    });
  };
  useEffect(() => {
    if (params.has('topic')) start();
    return () => stream.current?.close();
  }, []);

  const shown = showComments ? entries : entries.filter((entry) => entry.kind !== 'comment');
  return html`<section class="card">
    <h2>Subscribe <${StateBadge} state=${state} /></h2>
    <form class="fields" onSubmit=${(e: Event) => {
      e.preventDefault();
      start();
    }}>
      <label>Topic selectors, one per line (exact, URI template, or *)
        <textarea name="topics" rows="2" value=${topics} onInput=${(e: InputEvent) => setTopics((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label>Subscriber token (sent as Authorization: Bearer; empty for anonymous)
        <input name="token" value=${token} placeholder=${props.devToken ? 'development token available' : ''}
          onInput=${(e: InputEvent) => setToken((e.target as HTMLInputElement).value)} />
      </label>
      ${props.devToken ? html`<button type="button" class="secondary" onClick=${() => setToken(props.devToken)}>Use development token</button>` : null}
      <label><span>Start from Last-Event-ID (empty: live only; <code>earliest</code>: everything kept)</span>
        <input name="from" value=${from} onInput=${(e: InputEvent) => setFrom((e.target as HTMLInputElement).value)} />
      </label>
      <div class="row">
        <button type="submit">${state === 'stopped' ? 'Subscribe' : 'Resubscribe'}</button>
        <button type="button" class="secondary" disabled=${state === 'stopped'} onClick=${() => stream.current?.close()}>Stop</button>
        <label class="inline"><input type="checkbox" checked=${showComments}
          onChange=${(e: Event) => setShowComments((e.target as HTMLInputElement).checked)} /> show heartbeats</label>
        <span class="counts" data-testid="counts">${counts.events} events · ${counts.reconnects} reconnects</span>
      </div>
    </form>
    <table class="log" data-testid="log">
      <thead><tr><th>time</th><th>id</th><th>type</th><th>data</th></tr></thead>
      <tbody>
        ${shown.map((entry) => {
          if (entry.kind === 'event')
            return html`<tr class="event"><td>${clock(entry.at)}</td><td class="id">${entry.id}</td><td>${entry.type}</td><td><pre class="data">${entry.data}</pre></td></tr>`;
          if (entry.kind === 'comment')
            return html`<tr class="comment"><td>${clock(entry.at)}</td><td colspan="3">: ${entry.text}</td></tr>`;
          return html`<tr class="connection"><td>${clock(entry.at)}</td><td colspan="3">${entry.text}${
            entry.lastEventId ? html` — sent <code>Last-Event-ID: ${entry.lastEventId}</code>` : null
          }</td></tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

function Publisher(props: { devToken: string }) {
  const [fields, setFields] = useState({
    topics: '',
    data: '',
    type: '',
    id: '',
    retry: '',
    token: '',
    private: false,
  });
  const [result, setResult] = useState<PublishResult | undefined>(undefined);
  const [error, setError] = useState('');
  const bind = (name: keyof typeof fields) => (e: InputEvent) =>
    setFields({ ...fields, [name]: (e.target as HTMLInputElement).value });
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError('');
    try {
      setResult(await publish({ ...fields, topics: lines(fields.topics), token: fields.token.trim() }));
    } catch (failure) {
      setError(String(failure));
    }
  };
  return html`<section class="card">
    <h2>Publish</h2>
    <form class="fields" onSubmit=${submit}>
      <label>Topics, one per line (the first is canonical)<textarea name="topics" rows="2" value=${fields.topics} onInput=${bind('topics')} /></label>
      <label>Data<textarea name="data" rows="3" value=${fields.data} onInput=${bind('data')} /></label>
      <div class="row">
        <label>Type<input name="type" value=${fields.type} onInput=${bind('type')} /></label>
        <label>Id<input name="id" value=${fields.id} placeholder="generated" onInput=${bind('id')} /></label>
        <label>Retry (ms)<input name="retry" value=${fields.retry} inputmode="numeric" onInput=${bind('retry')} /></label>
        <label class="inline"><input type="checkbox" name="private" checked=${fields.private}
          onChange=${(e: Event) => setFields({ ...fields, private: (e.target as HTMLInputElement).checked })} /> private</label>
      </div>
      <label>Publisher token (JWT with a mercure.publish claim)<input name="publishToken" value=${fields.token} onInput=${bind('token')} /></label>
      <div class="row">
        <button type="submit">Publish</button>
        ${props.devToken ? html`<button type="button" class="secondary" onClick=${() => setFields({ ...fields, token: props.devToken })}>Use development token</button>` : null}
        <span data-testid="publish-result" class=${result ? (result.ok ? 'ok' : 'error') : ''}>
          ${result ? (result.ok ? `published, id ${result.body}` : `${result.status}: ${result.body}`) : ''}
        </span>
        ${error ? html`<span class="error">${error}</span>` : null}
      </div>
    </form>
  </section>`;
}

function Debugger() {
  const [devToken, setDevToken] = useState('');
  useEffect(() => {
    loadInfo().then(
      (info) => setDevToken(info.devToken ?? ''),
      () => setDevToken(''),
    );
  }, []);
  return html`<${Layout}
    title="Debugger"
    intro="Subscribes with @spout/client's connect(), so it can send a token header, sees every event type and heartbeat, and shows the Last-Event-ID each reconnect sends."
  >
    <div class="two">
      <${Subscriber} devToken=${devToken} />
      <${Publisher} devToken=${devToken} />
    </div>
  <//>`;
}

mount(Debugger);
