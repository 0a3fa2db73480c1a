/**
 * Page visibility, as @microsoft/fetch-event-source handles it: while the document is hidden the stream
 * is closed (no server holds a connection for a tab nobody looks at), and when it is shown again it
 * reconnects at once, resuming with Last-Event-ID. Outside a browser there is no document and nothing happens.
 */

interface VisibilityDocument {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/** What to do on each change. */
export interface VisibilityHandlers {
  hidden(): void;
  visible(): void;
}

/**
 * Calls `hidden` now if the page is hidden, then on each change; returns the function that stops watching.
 * Without a document (Node, workers), returns a no-op.
 */
export function watchVisibility(handlers: VisibilityHandlers): () => void {
  const document = (globalThis as { document?: Partial<VisibilityDocument> }).document;
  if (typeof document?.addEventListener !== 'function' || typeof document.hidden !== 'boolean') {
    return () => undefined;
  }
  const page = document as VisibilityDocument;
  const onChange = () => (page.hidden ? handlers.hidden() : handlers.visible());
  if (page.hidden) handlers.hidden();
  page.addEventListener('visibilitychange', onChange);
  return () => page.removeEventListener('visibilitychange', onChange);
}
