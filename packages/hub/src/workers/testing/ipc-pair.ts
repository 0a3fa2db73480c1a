/**
 * Two ends of an IPC channel inside one process, for tests: what one end sends, the other receives
 * on a later turn, as a structured clone (as Node's advanced serialization delivers it).
 */
import { EventEmitter } from 'node:events';
import type { IpcEnd } from '../rpc.ts';

class LoopbackEnd extends EventEmitter implements IpcEnd {
  other: LoopbackEnd | undefined;
  closed = false;

  send(message: unknown, callback: (error: Error | null) => void): boolean {
    const other = this.other!;
    if (this.closed || other.closed) {
      setImmediate(() => callback(new Error('Channel closed')));
      return false;
    }
    const copy = structuredClone(message);
    setImmediate(() => {
      if (!other.closed) other.emit('message', copy);
      callback(null);
    });
    return true;
  }
}

/** A connected pair of ends; `cut()` closes the channel as a process exit would. */
export function ipcPair(): { primary: IpcEnd; worker: IpcEnd; cut(): void } {
  const primary = new LoopbackEnd();
  const worker = new LoopbackEnd();
  primary.other = worker;
  worker.other = primary;
  return {
    primary,
    worker,
    cut() {
      primary.closed = true;
      worker.closed = true;
    },
  };
}
