/**
 * Every setting of `spout hub`: its flag, environment variable, type, default and meaning. The
 * configuration type, the defaults, the flag parser, the validation and `--help` all derive from
 * this one table (the groups live in settings/).
 */
import { AUTHORIZATION_SETTINGS } from './settings/authorization.ts';
import { FEATURE_SETTINGS } from './settings/features.ts';
import { GENERAL_SETTINGS } from './settings/general.ts';
import { HISTORY_SETTINGS } from './settings/history.ts';
import { LIFECYCLE_SETTINGS } from './settings/lifecycle.ts';
import { LIMIT_SETTINGS } from './settings/limits.ts';
import type { ConfigOf, DefaultsOf, Setting } from './settings/setting.ts';

export type { Setting, SettingType } from './settings/setting.ts';

/** The table, with each setting's literal name, type, choices and default (for the types below). */
const TABLE = [
  ...GENERAL_SETTINGS,
  ...AUTHORIZATION_SETTINGS,
  ...FEATURE_SETTINGS,
  ...HISTORY_SETTINGS,
  ...LIMIT_SETTINGS,
  ...LIFECYCLE_SETTINGS,
] as const satisfies readonly Setting[];

/** The settings, in the order `--help` lists them. */
export const SETTINGS: readonly Setting[] = TABLE;

/** The resolved configuration of a hub: every setting by name, as the table types it. */
export type HubConfig = ConfigOf<typeof TABLE>;

/**
 * Settings as code gives them, named as in the config file: any may be left out (its default is
 * used). Durations and sizes may also be text as on the command line (`'15s'`, `'1mb'`).
 */
export type HubSettings = {
  readonly [K in keyof HubConfig]?: HubConfig[K] extends number | undefined
    ? HubConfig[K] | string
    : HubConfig[K] extends string[] | undefined
      ? readonly string[] | undefined
      : HubConfig[K];
};

/** The defaults of the settings that have one: what a hub uses for a setting left out. */
export const DEFAULTS = Object.freeze(
  Object.fromEntries(SETTINGS.flatMap((s) => ('default' in s ? [[s.name, s.default]] : []))),
) as unknown as DefaultsOf<typeof TABLE>;

/** `jwtKey` -> `--jwt-key`. */
export function flagOf(name: string): string {
  return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `jwtKey` -> `SPOUT_JWT_KEY`. */
export function envOf(name: string): string {
  return `SPOUT_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
