/**
 * `spout hub --help`, generated from the settings table.
 */
import { envOf, flagOf, SETTINGS } from './settings.ts';

function shownDefault(value: unknown): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.length === 0 ? '' : ` (default: ${value.join(',')})`;
  return ` (default: ${String(value)})`;
}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((l) => indent + l).join('\n');
}

/** The full help text of `spout hub`. */
export function hubHelp(): string {
  const out = [
    'Usage: spout hub [options]',
    '',
    'Runs a Mercure-compatible hub: publish with POST /.well-known/mercure, subscribe with GET (SSE).',
    'Every option is also an environment variable (SPOUT_*) and a key of the --config JSON file.',
    'Precedence: flags > environment > config file > defaults. Durations: 500ms, 15s, 10m, 12h, 7d.',
    'Sizes: 65536, 64kb, 1mb. Booleans: --flag, --no-flag, --flag=false.',
  ];
  let group = '';
  for (const setting of SETTINGS) {
    if (setting.group !== group) {
      group = setting.group;
      out.push('', `${group}:`);
    }
    const value =
      setting.type === 'boolean'
        ? ''
        : ` <${setting.type === 'choice' ? setting.choices?.join('|') : setting.type}>`;
    out.push(`  ${flagOf(setting.name)}${value}   [${envOf(setting.name)}]`);
    out.push(wrap(setting.description + shownDefault(setting.default), 88, '      '));
  }
  out.push(
    '',
    'Endpoints: /.well-known/mercure (hub), /.well-known/mercure/subscriptions (with --subscriptions),',
    '/metrics (Prometheus), /healthz, /ui (web UI). Signals: SIGTERM or SIGINT shut down gracefully.',
    'Unknown SPOUT_* variables are reported in the log with the nearest setting; unknown flags and',
    'config file keys are refused.',
    '',
    'Exit codes: 0 after a graceful shutdown; 1 runtime failure (port in use, file unreadable, store',
    'unreachable); 2 configuration error (the message names the setting). Failures print one line;',
    'SPOUT_DEBUG=1 adds the stack trace.',
    'Docs: docs/hub.md',
  );
  return out.join('\n');
}
