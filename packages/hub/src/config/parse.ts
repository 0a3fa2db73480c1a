/**
 * Reading one setting's value from text (flags, environment) or JSON (config file).
 */
import type { Setting } from './settings/setting.ts';

/** A setting that could not be read; the message names the setting and where it came from. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BYTES = /^(\d+(?:\.\d+)?)(b|kb|kib|mb|mib|gb|gib)?$/i;
const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1 << 20,
  mib: 1 << 20,
  gb: 1 << 30,
  gib: 1 << 30,
};

function inRange(setting: Setting, value: number, shown: string): number {
  if (!Number.isSafeInteger(value)) throw new ConfigError(`must be a whole number, got ${shown}`);
  if (setting.min !== undefined && value < setting.min)
    throw new ConfigError(`must be at least ${setting.min}, got ${shown}`);
  if (setting.max !== undefined && value > setting.max)
    throw new ConfigError(`must be at most ${setting.max}, got ${shown}`);
  return value;
}

function fromText(setting: Setting, text: string): unknown {
  const shown = JSON.stringify(text);
  switch (setting.type) {
    case 'string':
      return text;
    case 'integer':
      if (!/^-?\d+$/.test(text.trim())) throw new ConfigError(`must be an integer, got ${shown}`);
      return inRange(setting, Number(text), shown);
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(text)) return true;
      if (/^(false|0|no|off)$/i.test(text)) return false;
      throw new ConfigError(`must be true or false, got ${shown}`);
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'duration': {
      const match = DURATION.exec(text.trim());
      if (!match)
        throw new ConfigError(
          `must be a duration like 500ms, 15s, 10m, 12h, 7d (a bare number is ms), got ${shown}`,
        );
      return inRange(setting, Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? 'ms']!), shown);
    }
    case 'bytes': {
      const match = BYTES.exec(text.trim());
      if (!match) throw new ConfigError(`must be a size like 65536, 64kb, 1mb, got ${shown}`);
      return inRange(
        setting,
        Math.round(Number(match[1]) * BYTE_UNITS[(match[2] ?? 'b').toLowerCase()]!),
        shown,
      );
    }
    case 'choice':
      if (!setting.choices?.includes(text)) {
        throw new ConfigError(`must be one of ${setting.choices?.join(', ')}, got ${shown}`);
      }
      return text;
  }
}

/** Runs `parse`; a ConfigError it throws is prefixed with `where` (the flag, variable or file key). */
export function within<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${where}: ${error.message}`);
    throw error;
  }
}

/** Reads a value from a flag or an environment variable. */
export function parseText(setting: Setting, text: string): unknown {
  return fromText(setting, text);
}

/** Reads a value from the JSON config file: JSON types, or text as on the command line. */
export function parseJson(setting: Setting, value: unknown): unknown {
  if (typeof value === 'string') return fromText(setting, value);
  if (setting.type === 'boolean' && typeof value === 'boolean') return value;
  if (setting.type === 'list' && Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value;
  if (['integer', 'duration', 'bytes'].includes(setting.type) && typeof value === 'number') {
    return inRange(setting, value, String(value));
  }
  throw new ConfigError(`has the wrong type (${Array.isArray(value) ? 'array' : typeof value})`);
}
