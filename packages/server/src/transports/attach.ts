import type { EventEmitter } from 'node:events';
import type { EventMap, Session } from '../session/session.ts';

const SESSION = Symbol('spout.session');
type Tagged = EventEmitter & { [SESSION]: Session<EventMap, unknown> };

// One shared listener per event type instead of closures per session: `this` is the emitter.
function onDrain(this: Tagged): void {
  this[SESSION].drained();
}
function onClose(this: Tagged): void {
  this[SESSION].disconnected();
}
/** Errors that only mean the client went away: the session ends with reason `'client'`. */
const HANG_UPS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

function onError(this: Tagged, error: Error & { code?: string }): void {
  this[SESSION].disconnected(HANG_UPS.has(error.code ?? '') ? undefined : error);
}

/**
 * Wires a Node writable (a response or an HTTP/2 stream) to its session:
 * drain resumes writing, close and error end the session.
 */
export function attachSession(
  writable: EventEmitter & { destroyed: boolean },
  session: Session<EventMap, unknown>,
): void {
  (writable as unknown as Tagged)[SESSION] = session;
  writable.on('drain', onDrain);
  writable.on('close', onClose);
  writable.on('error', onError);
  // A writable that closed before we got here never emits 'close' again.
  if (writable.destroyed) session.disconnected();
}
