/**
 * What one setting of `spout hub` is, and the types its table derives: the resolved configuration
 * and the defaults, each named and typed by the table itself (no list of names written twice).
 */

/** How a setting's text is read. */
export type SettingType = 'string' | 'integer' | 'boolean' | 'list' | 'duration' | 'bytes' | 'choice';

/** One setting: its name, how it is read, its default and its meaning. */
export interface Setting {
  /** Name in the config file and in errors, camelCase; the flag and the variable derive from it. */
  readonly name: string;
  readonly type: SettingType;
  /** The `--help` section it is listed under. */
  readonly group: string;
  readonly description: string;
  /** Absent: the setting is unset (undefined) unless given. */
  readonly default?: string | number | boolean | readonly string[];
  /** For `choice`. */
  readonly choices?: readonly string[];
  /** Smallest value for integer, duration and bytes. */
  readonly min?: number;
  readonly max?: number;
}

/** The value a setting holds once read: a choice's names, or what its type reads to. */
export type SettingValue<S extends Pick<Setting, 'type'>> = S extends {
  readonly choices: readonly (infer C)[];
}
  ? C
  : S['type'] extends 'boolean'
    ? boolean
    : S['type'] extends 'list'
      ? string[]
      : S['type'] extends 'string'
        ? string
        : number;

/** Every setting of a table by name; those without a default may be undefined. */
export type ConfigOf<T extends readonly Setting[]> = {
  -readonly [S in T[number] as S['name']]: S extends { readonly default: unknown }
    ? SettingValue<S>
    : SettingValue<S> | undefined;
};

/** The settings of a table that have a default, by name, with that default. */
export type DefaultsOf<T extends readonly Setting[]> = {
  readonly [S in T[number] as S extends { readonly default: unknown } ? S['name'] : never]: Readonly<
    SettingValue<S>
  >;
};
