import { UI_PAGES } from '../../pages.ts';
import { html } from '../lib/html.ts';

/** Header with links to every page, the page's title, then its content. */
export function Layout(props: { title: string; intro?: unknown; children?: unknown }) {
  const here = location.pathname;
  return html`
    <header class="top">
      <a class="brand" href="/ui/">Spout</a>
      <nav>
        ${UI_PAGES.slice(1).map(
          (page) => html`<a href=${page.path} class=${page.path === here ? 'current' : ''}>${page.title}</a>`,
        )}
      </nav>
    </header>
    <main>
      <h1>${props.title}</h1>
      ${props.intro ? html`<p class="intro">${props.intro}</p>` : null} ${props.children}
    </main>
  `;
}

const STATE_LABELS: Record<string, string> = {
  connecting: 'connecting',
  open: 'live',
  reconnecting: 'reconnecting',
  waiting: 'waiting to retry',
  dropped: 'dropped',
  closed: 'closed',
  stopped: 'stopped',
};

/** A coloured pill for a connection state; `data-state` lets tests and CSS read it. */
export function StateBadge(props: { state: string }) {
  return html`<span class="badge state-${props.state}" data-state=${props.state}
    >${STATE_LABELS[props.state] ?? props.state}</span
  >`;
}

/** Wall-clock time with milliseconds, for event logs. */
export function clock(at: number): string {
  const date = new Date(at);
  return `${date.toLocaleTimeString([], { hour12: false })}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
