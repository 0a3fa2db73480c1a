import { html, render } from './html.ts';

/** Renders a page's root component into `#app`. */
export function mount(Page: () => unknown): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('page shell has no #app element');
  render(html`<${Page} />` as never, root);
}
