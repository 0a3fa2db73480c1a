/**
 * How a demo talks to the hub: one Mercure publish (form POST with a Bearer
 * token), exactly what any app in any language would send.
 */

/** One update as a demo publishes it. */
export interface DemoUpdate {
  topics: readonly string[];
  data: string;
  private?: boolean | undefined;
  id?: string | undefined;
  type?: string | undefined;
}

/** Publishes an update and resolves with the id the hub assigned. */
export type PublishFn = (update: DemoUpdate) => Promise<string>;

export interface HttpPublisherOptions {
  /** The hub endpoint, e.g. `http://127.0.0.1:3000/.well-known/mercure`. */
  hubUrl: string | URL;
  /** A JWT whose `mercure.publish` claim covers the demo's topics. */
  token: string;
  /** Defaults to the global fetch; pass one that trusts a test certificate, for example. */
  fetch?: typeof fetch | undefined;
}

/** Raised when the hub refuses an update; carries the status and the hub's message. */
export class PublishError extends Error {
  readonly status: number;
  constructor(status: number, body: string) {
    super(`hub refused the update: ${status} ${body.trim()}`);
    this.name = 'PublishError';
    this.status = status;
  }
}

/** Builds the form body of a Mercure publish request. */
export function publishForm(update: DemoUpdate): URLSearchParams {
  const form = new URLSearchParams();
  for (const topic of update.topics) form.append('topic', topic);
  form.set('data', update.data);
  if (update.private) form.set('private', 'on');
  if (update.id !== undefined) form.set('id', update.id);
  if (update.type !== undefined) form.set('type', update.type);
  return form;
}

/** A PublishFn that POSTs to the hub over HTTP. */
export function httpPublisher(options: HttpPublisherOptions): PublishFn {
  const doFetch = options.fetch ?? fetch;
  const url = String(options.hubUrl);
  return async (update) => {
    const response = await doFetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: publishForm(update),
    });
    const body = await response.text();
    if (!response.ok) throw new PublishError(response.status, body);
    return body;
  };
}
