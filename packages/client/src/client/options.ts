/** Checks connect()'s scalar options up front, so that a mistake throws where it is made, not on some later attempt. */
import type { ConnectOptions } from './types.ts';

/** The `parse` option as a function. */
export function parserFor(parse: ConnectOptions['parse']): (data: string, type: string) => unknown {
  if (parse === undefined || parse === 'text') return (data) => data;
  if (parse === 'json') return (data) => JSON.parse(data);
  if (typeof parse === 'function') return parse;
  throw new TypeError(`parse must be 'text', 'json' or a function, got ${String(parse)}.`);
}

export function positiveInteger(name: string, value: number): number {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

export function stallTimeoutOf(options: ConnectOptions): number {
  const stallTimeout = options.stallTimeout ?? 0;
  if (!(Number.isFinite(stallTimeout) && stallTimeout >= 0)) {
    throw new RangeError(
      `stallTimeout must be a number of milliseconds >= 0 (0 disables), got ${String(stallTimeout)}.`,
    );
  }
  return stallTimeout;
}

/**
 * The resume point: `lastEventId`, or `initialLastEventId` (eventsource-client's name for it). Either must
 * be a string a server could have sent as an `id:` (no NUL, CR or LF); both may be given only if equal.
 */
export function initialLastEventIdOf(options: ConnectOptions): string {
  const { lastEventId, initialLastEventId } = options;
  for (const [name, value] of [
    ['lastEventId', lastEventId],
    ['initialLastEventId', initialLastEventId],
  ] as const) {
    if (value === undefined) continue;
    if (typeof value !== 'string') {
      throw new TypeError(`${name} must be a string, got ${describe(value)}.`);
    }
    if (/[\0\r\n]/.test(value)) {
      throw new TypeError(`${name} cannot contain NUL, CR or LF: no server could have sent it as an id.`);
    }
  }
  if (lastEventId !== undefined && initialLastEventId !== undefined && lastEventId !== initialLastEventId) {
    throw new TypeError('lastEventId and initialLastEventId name the same resume point; give one of them.');
  }
  return lastEventId ?? initialLastEventId ?? '';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'object'
    ? `an object (${Object.prototype.toString.call(value)})`
    : `${typeof value} ${String(value)}`;
}
