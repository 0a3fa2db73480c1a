import { Agent, request } from 'node:https';
import { rootCertificates } from 'node:tls';

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
  /** Defaults to the global fetch (or to node:https when `trustedCertificate` is set). */
  fetch?: typeof fetch | undefined;
  /**
   * PEM certificate of the hub itself, trusted besides the system roots. Lets the
   * demos publish to a hub serving a self-signed development certificate over TLS.
   */
  trustedCertificate?: string | undefined;
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
  const post =
    options.fetch === undefined && options.trustedCertificate !== undefined
      ? pinnedPost(options.trustedCertificate)
      : fetchPost(options.fetch ?? fetch);
  const url = String(options.hubUrl);
  const headers = {
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/x-www-form-urlencoded',
  };
  return async (update) => {
    const { status, body } = await post(url, headers, publishForm(update).toString());
    if (status < 200 || status > 299) throw new PublishError(status, body);
    return body;
  };
}

type Post = (
  url: string,
  headers: Record<string, string>,
  body: string,
) => Promise<{ status: number; body: string }>;

function fetchPost(doFetch: typeof fetch): Post {
  return async (url, headers, body) => {
    const response = await doFetch(url, { method: 'POST', headers, body });
    return { status: response.status, body: await response.text() };
  };
}

/** POST over node:https trusting the system roots plus the hub's own certificate. */
function pinnedPost(certificate: string): Post {
  const agent = new Agent({
    ca: [...rootCertificates, certificate],
    keepAlive: true,
    // The demos connect to the hub's bind address, which the certificate need not name; trust comes from the CA list.
    checkServerIdentity: () => undefined,
  });
  return (url, headers, body) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
}
