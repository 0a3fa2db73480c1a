import { encodeEventBytes } from '@spout/protocol';

/** Options shared by every transport's session factory. */
export interface SessionOptions {
  /**
   * Turns `send()` data into the `data:` text. Default: `JSON.stringify`, so
   * a string arrives quoted; pass `String` to send strings as they are.
   */
  serialize?: (data: unknown) => string;
  /** Milliseconds between heartbeat comments on idle sessions; `0` turns them off. Default 15,000. */
  heartbeatInterval?: number;
  /**
   * Most bytes a session may hold unsent (its own queue plus the transport's
   * buffer) while the client reads too slowly. Past it the session is closed
   * with reason `'overflow'`; the client reconnects and catches up with
   * `Last-Event-ID`. One event alone in an empty buffer always goes out, whatever its
   * size: the cap bounds what waits behind it. Default 1 MiB.
   */
  maxBufferedBytes?: number;
  /** Reconnection delay (ms) sent to the client as `retry:` when the stream opens. */
  retry?: number;
}

/** Defaults of {@link SessionOptions}. */
export const SESSION_DEFAULTS = {
  heartbeatInterval: 15_000,
  maxBufferedBytes: 1024 * 1024,
} as const;

/** Session options with defaults applied, shared by every session created with the same options object. */
export interface SessionConfig {
  readonly serialize: (data: unknown) => string;
  readonly heartbeatInterval: number;
  readonly maxBufferedBytes: number;
  /** The `retry:` field every session opens with, encoded once for all of them. */
  readonly retryBytes: Uint8Array | undefined;
}

const resolved = new WeakMap<SessionOptions, SessionConfig>();
const DEFAULT_OPTIONS: SessionOptions = {};

/**
 * Validates options once per options object, so that 10,000 sessions made
 * with one options object share one config instead of holding a copy each.
 */
export function resolveSessionConfig(options: SessionOptions = DEFAULT_OPTIONS): SessionConfig {
  let config = resolved.get(options);
  if (config === undefined) {
    config = {
      serialize: options.serialize ?? JSON.stringify,
      heartbeatInterval: checkInteger(
        'heartbeatInterval',
        options.heartbeatInterval ?? SESSION_DEFAULTS.heartbeatInterval,
        0,
      ),
      maxBufferedBytes: checkInteger(
        'maxBufferedBytes',
        options.maxBufferedBytes ?? SESSION_DEFAULTS.maxBufferedBytes,
        1,
      ),
      retryBytes:
        options.retry === undefined
          ? undefined
          : encodeEventBytes({ retry: checkInteger('retry', options.retry, 0) }),
    };
    resolved.set(options, config);
  }
  return config;
}

function checkInteger(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Session option "${name}" must be an integer >= ${min}, got ${String(value)}.`);
  }
  return value;
}

/**
 * Runs a serializer and checks that it made a string (`JSON.stringify(undefined)` does not).
 * @throws {TypeError} naming `owner` ("Session", "Channel") when the serializer returned no string.
 */
export function serializeData(serialize: (data: unknown) => string, data: unknown, owner: string): string {
  const text = serialize(data);
  if (typeof text !== 'string') {
    throw new TypeError(
      `${owner} serializer returned ${typeof text} instead of a string (JSON.stringify(undefined) does): ` +
        'send null or a value, or pass a `serialize` option.',
    );
  }
  return text;
}
