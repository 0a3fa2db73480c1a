/**
 * The flags of `spout hub`, read by node:util's parseArgs with options built from the settings
 * table: `--name value`, `--name=value`, `--flag`, `--flag=false` and `--no-flag` for booleans.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { ConfigError, parseText, within } from './parse.ts';
import { flagOf, SETTINGS, type Setting } from './settings.ts';
import { didYouMean } from './suggest.ts';

/** A setting by its option name (`jwt-key`). */
const BY_OPTION = new Map<string, Setting>(SETTINGS.map((s) => [flagOf(s.name).slice(2), s]));

/** parseArgs' options: a boolean for each boolean setting, a string for every other. */
const OPTIONS: ParseArgsOptionsConfig = Object.fromEntries(
  [...BY_OPTION].map(([option, s]) => [option, { type: s.type === 'boolean' ? 'boolean' : 'string' }]),
);

/** The flags an unknown one is compared with, for "did you mean". */
const FLAGS = [
  ...[...BY_OPTION.keys()].map((option) => `--${option}`),
  ...SETTINGS.filter((s) => s.type === 'boolean').map((s) => `--no-${flagOf(s.name).slice(2)}`),
  '--help',
];

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

/** The argument as it was typed (`--jwt-kye=secret`), for the message refusing it. */
function typed(token: OptionToken): string {
  return token.inlineValue ? `${token.rawName}=${token.value}` : token.rawName;
}

function unknownOption(token: OptionToken | Extract<Token, { kind: 'positional' }>): ConfigError {
  const arg = token.kind === 'option' ? typed(token) : token.value;
  const flag = token.kind === 'option' ? token.rawName : arg;
  const hint = didYouMean(flag, FLAGS, 'see spout hub --help');
  return new ConfigError(`unknown option ${JSON.stringify(arg)}; ${hint}`);
}

/**
 * The argument right after a boolean flag given without a value, when it is not a flag itself:
 * that flag's value (`--anonymous true`).
 */
function booleanValue(token: Token | undefined, next: Token | undefined): string | undefined {
  if (token?.kind !== 'option' || next?.kind !== 'positional' || next.index !== token.index + 1)
    return undefined;
  const boolean = BY_OPTION.get(token.name)?.type === 'boolean' && !token.rawName.startsWith('--no-');
  return boolean && token.value === undefined ? next.value : undefined;
}

/** The value an option token gives its setting; `next` is the token after it. */
function flagValue(token: OptionToken, setting: Setting, next: Token | undefined): unknown {
  const flag = `--${token.name}`;
  if (token.rawName.startsWith('--no-')) return false;
  const text = token.value ?? booleanValue(token, next);
  if (text !== undefined) return within(flag, () => parseText(setting, text));
  if (setting.type !== 'boolean') throw new ConfigError(`${flag} needs a value`);
  return true;
}

/** Parses the flags after `spout hub` into setting values by name. Throws on unknown flags. */
export function parseFlags(argv: readonly string[]): Map<string, unknown> {
  const { tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    // Not strict: the refusals below name the nearest flag, and booleans also take `=false`.
    strict: false,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  });
  const values = new Map<string, unknown>();
  for (const [at, token] of tokens.entries()) {
    if (token.kind === 'option-terminator')
      throw unknownOption({ kind: 'positional', index: at, value: '--' });
    if (token.kind === 'positional') {
      if (booleanValue(tokens[at - 1], token) === undefined) throw unknownOption(token);
      continue;
    }
    const setting = BY_OPTION.get(token.name);
    const negatedNonBoolean = token.rawName.startsWith('--no-') && setting?.type !== 'boolean';
    if (setting === undefined || negatedNonBoolean || !token.rawName.startsWith('--'))
      throw unknownOption(token);
    values.set(setting.name, flagValue(token, setting, tokens[at + 1]));
  }
  return values;
}
