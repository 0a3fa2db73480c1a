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
function onError(this: Tagged, error: Error): void {
  this[SESSION].disconnected(error);
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
