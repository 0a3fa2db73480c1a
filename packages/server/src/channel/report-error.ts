import type { EventMap, Session } from '../session/session.ts';

/** `process.emitWarning` code of the warning a channel without `onError` emits for its first failure. */
export const CHANNEL_ERROR_WARNING = 'SPOUT_CHANNEL_ERROR';

/**
 * Told when a channel cannot serve a session (its replay could not be read or
 * filtered); the session has already been closed with reason `'error'`.
 */
export type ChannelErrorHook<Events extends EventMap, State> = (
  error: unknown,
  session: Session<Events, State>,
) => void;

/**
 * The default error hook of one channel: a process warning for its first
 * failure only. A store that is down fails every reconnecting client, and
 * thousands of identical lines would bury the first; set `onError` to see each.
 */
export function warnOnce(): ChannelErrorHook<EventMap, unknown> {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    warn(
      `Channel: a session could not join and was closed with reason 'error': ${describe(error)}. ` +
        "Set the channel's onError option to handle every failure; this warning is shown once per channel.",
    );
  };
}

/** Calls the hook; one that throws is reported as a warning, never thrown to the transport or the process. */
export function reportError<Events extends EventMap, State>(
  hook: ChannelErrorHook<Events, State>,
  error: unknown,
  session: Session<Events, State>,
): void {
  try {
    hook(error, session);
  } catch (hookError) {
    warn(`Channel: the onError hook threw ${describe(hookError)} while reporting ${describe(error)}.`);
  }
}

function warn(message: string): void {
  process.emitWarning(message, { code: CHANNEL_ERROR_WARNING, type: 'SpoutWarning' });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
