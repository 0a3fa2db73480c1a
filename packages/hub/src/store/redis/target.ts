/**
 * What the store's `url` names: one Redis server, a primary found through Sentinel, or a Redis
 * Cluster. The two extra schemes exist so that one string (`--redis-url`, `SPOUT_REDIS_URL`)
 * can say all three; ioredis itself takes Sentinel and Cluster only as option objects.
 */

/** A host and port, as ioredis takes them. */
export interface RedisAddress {
  host: string;
  port: number;
}

/** Where the store connects. */
export type RedisTarget =
  | { kind: 'server'; url: string }
  | { kind: 'sentinel'; sentinels: RedisAddress[]; name: string; credentials: Credentials; db: number }
  | { kind: 'cluster'; nodes: RedisAddress[]; credentials: Credentials };

/** The user and password of the data nodes (not of the sentinels: see docs/scaling.md). */
export interface Credentials {
  username?: string;
  password?: string;
}

const SERVER = /^rediss?:\/\//;
// scheme, optional userinfo, comma-separated hosts, optional path. Hosts may be [IPv6]:port.
const MULTI = /^redis\+(sentinel|cluster):\/\/(?:([^@/]*)@)?([^/]+)(?:\/(.*))?$/;

/** The URL forms, for error messages. */
export const URL_FORMS =
  'redis://, rediss://, redis+sentinel://host:26379[,host:port...]/<master name>[/db] or redis+cluster://host:6379[,host:port...]';

/** Parses the store's `url`; a RangeError saying the accepted forms when it is none of them. */
export function parseTarget(url: unknown): RedisTarget {
  if (typeof url === 'string' && SERVER.test(url)) return { kind: 'server', url };
  const match = typeof url === 'string' ? MULTI.exec(url) : null;
  if (!match) throw new RangeError(`url must be one of ${URL_FORMS}, got ${JSON.stringify(url)}`);
  const [, kind, userinfo, hosts, path = ''] = match;
  const credentials = parseCredentials(userinfo);
  if (kind === 'cluster') {
    if (path !== '')
      throw new RangeError(`a redis+cluster:// url has no path (no database either), got /${path}`);
    return { kind: 'cluster', nodes: parseHosts(hosts!, 6379), credentials };
  }
  const [name, db = '0', ...rest] = path.split('/');
  if (!name || rest.length > 0 || !/^\d+$/.test(db)) {
    throw new RangeError(`a redis+sentinel:// url ends with /<master name>[/db], got /${path}`);
  }
  return {
    kind: 'sentinel',
    sentinels: parseHosts(hosts!, 26379),
    name: decodeURIComponent(name),
    credentials,
    db: Number(db),
  };
}

function parseCredentials(userinfo: string | undefined): Credentials {
  if (userinfo === undefined || userinfo === '') return {};
  const colon = userinfo.indexOf(':');
  const username = decodeURIComponent(colon === -1 ? userinfo : userinfo.slice(0, colon));
  const password = colon === -1 ? undefined : decodeURIComponent(userinfo.slice(colon + 1));
  // As with redis://: `:secret@` is a password alone, `user@` a user with no password.
  return {
    ...(username !== '' ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

function parseHosts(hosts: string, defaultPort: number): RedisAddress[] {
  return hosts.split(',').map((text) => {
    const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d+))?$/.exec(text);
    const port = Number(match?.[2] ?? defaultPort);
    if (!match || port < 1 || port > 65535)
      throw new RangeError(`not a host[:port]: ${JSON.stringify(text)}`);
    return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port };
  });
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
