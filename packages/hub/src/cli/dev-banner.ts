/**
 * What `spout hub --dev` prints once the hub listens: the generated key, tokens, and commands to try.
 */
import { mintToken } from '../auth/index.ts';

/** What `--dev` prints: the key, tokens, and commands to try at once. */
export async function devBanner(started: {
  devSecret: string | undefined;
  running: { hubUrl: string; url: string };
}): Promise<string> {
  const secret = started.devSecret;
  const url = started.running.hubUrl;
  if (secret === undefined) return `Spout hub (dev) at ${url}`;
  const publish = await mintToken({ secret, publish: ['*'], subscribe: ['*'] });
  const subscribe = await mintToken({ secret, subscribe: ['*'] });
  return [
    '',
    `Spout hub (development mode) at ${url}`,
    `  web UI:         ${started.running.url}/ui/`,
    `  JWT key (HS256, generated for this run): ${secret}`,
    `  publisher token:  ${publish}`,
    `  subscriber token: ${subscribe}`,
    '',
    '  Subscribe (anonymous, public updates):',
    `    curl -N -G --data-urlencode 'topic=https://example.com/books/{id}' ${url}`,
    '  Publish:',
    `    curl -d topic=https://example.com/books/1 -d data='{"title":"Dune"}' -H 'Authorization: Bearer ${publish}' ${url}`,
    '',
  ].join('\n');
}
