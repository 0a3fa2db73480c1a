/**
 * The settings of the whole hub and of its listening socket.
 */
import type { Setting } from './setting.ts';

export const GENERAL_SETTINGS = [
  {
    name: 'config',
    type: 'string',
    group: 'General',
    description: 'JSON file with any of these settings (camelCase keys); flags and environment win over it.',
  },
  {
    name: 'dev',
    type: 'boolean',
    group: 'General',
    default: false,
    description:
      'Development mode: generate a JWT key unless one is set, allow anonymous subscribers, print ready-to-use tokens and curl commands.',
  },
  {
    name: 'protocol',
    type: 'choice',
    group: 'General',
    default: 'both',
    choices: ['classic', 'current', 'both'],
    description:
      'Mercure protocol spoken: classic (topic= selectors, the "mercure" JWT claim), current (match= matchers, at+jwt access tokens) or both, each request served by the one it announces (docs/mercure.md).',
  },
  {
    name: 'host',
    type: 'string',
    group: 'Network',
    default: '127.0.0.1',
    description: 'Address to listen on (0.0.0.0 or :: for every interface).',
  },
  {
    name: 'port',
    type: 'integer',
    group: 'Network',
    default: 3000,
    min: 0,
    max: 65535,
    description: 'Port to listen on (0 picks a free one).',
  },
  {
    name: 'workers',
    type: 'integer',
    group: 'Network',
    min: 1,
    max: 1024,
    description:
      'Worker processes sharing the port, each a whole hub on one core (docs/scaling.md). Default: the number of cores; 1 with --dev. More than the cores helps only to hold more connections than one process may open.',
  },
  {
    name: 'cert',
    type: 'string',
    group: 'Network',
    description: 'PEM certificate file: with --key, serve TLS with HTTP/2 (ALPN h2) and HTTP/1.1.',
  },
  { name: 'key', type: 'string', group: 'Network', description: 'PEM private key file for --cert.' },
  {
    name: 'trustProxy',
    type: 'boolean',
    group: 'Network',
    default: false,
    description: 'Take client addresses from X-Forwarded-For (only behind a proxy you control).',
  },
] as const satisfies readonly Setting[];
