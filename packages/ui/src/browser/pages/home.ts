import { UI_PAGES } from '../../pages.ts';
import { Layout } from '../components/layout.ts';
import { html, useEffect, useState } from '../lib/html.ts';
import { type HubInfo, loadInfo } from '../lib/info.ts';
import { mount } from '../lib/mount.ts';

function Home() {
  const [info, setInfo] = useState<HubInfo | undefined>(undefined);
  const [error, setError] = useState('');
  useEffect(() => {
    loadInfo().then(setInfo, (e: Error) => setError(e.message));
  }, []);
  const origin = location.origin;
  return html`<${Layout}
    title="Spout hub"
    intro="A Mercure-compatible Server-Sent Events hub. Publish with one HTTP POST, subscribe with EventSource."
  >
    <section class="card running" data-testid="running">
      <h2>Running</h2>
      ${error ? html`<p class="error">${error}</p>` : null}
      ${
        info
          ? html`<dl>
              <dt>Hub</dt><dd><code>${origin}/.well-known/mercure</code></dd>
              ${info.version ? html`<dt>Version</dt><dd>${info.version}</dd>` : null}
              ${info.store ? html`<dt>Store</dt><dd>${info.store}</dd>` : null}
              <dt>Anonymous subscribers</dt><dd>${info.anonymous === false ? 'refused' : 'allowed'}</dd>
              ${info.startedAt ? html`<dt>Up since</dt><dd>${new Date(info.startedAt).toLocaleString()}</dd>` : null}
              <dt>Demo publishers</dt><dd data-testid="demos">${info.demos.length ? info.demos.join(', ') : 'none'}</dd>
              ${Object.entries(info.details ?? {}).map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}
            </dl>`
          : error
            ? null
            : html`<p>loading…</p>`
      }
    </section>
    <section class="grid">
      ${UI_PAGES.slice(1).map(
        (page) =>
          html`<a class="card link" href=${page.path}><h2>${page.title}</h2><p>${page.summary}</p></a>`,
      )}
    </section>
    <section class="card">
      <h2>Try it from a terminal</h2>
      <pre>curl -N '${origin}/.well-known/mercure?topic=https://example.com/books/1'</pre>
      <pre>curl -X POST '${origin}/.well-known/mercure' \\
  -H "Authorization: Bearer ${info?.devToken ?? '$TOKEN'}" \\
  -d topic=https://example.com/books/1 -d data='{"title":"Dune"}'</pre>
    </section>
  <//>`;
}

mount(Home);
