/**
 * Calls between the primary and a worker over Node's IPC channel: numbered requests with one reply
 * each, and one-way notes. Both sides use the same class over their own end of the channel.
 */
import { fromWire, toWire, type WireError } from './wire-errors.ts';

/** One end of the IPC channel: `process` in a worker, a cluster `Worker` in the primary. */
export interface IpcEnd {
  send(message: unknown, callback: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** What a side answers: method name → handler of its arguments. */
export type RpcHandlers = Record<string, (...args: never[]) => unknown>;

type Message =
  | { spout: 'call'; id: number; method: string; args: unknown[] }
  | { spout: 'reply'; id: number; value?: unknown; error?: WireError }
  | { spout: 'note'; method: string; args: unknown[] };

/** Calls waiting for a reply at once; past it a call is refused rather than queued without bound. */
const MAX_PENDING_CALLS = 100_000;

/** The channel is gone (the other process exited); every call waiting is rejected with this. */
export class ChannelClosedError extends Error {
  constructor(message = 'the hub process at the other end of the IPC channel is gone') {
    super(message);
    this.name = 'ChannelClosedError';
  }
}

/** More calls wait for the other process than {@link MAX_PENDING_CALLS}: this one is refused, not queued. */
export class TooManyCallsError extends Error {
  readonly limit = MAX_PENDING_CALLS;
  constructor() {
    super(`more than ${MAX_PENDING_CALLS} calls wait for the other process`);
    this.name = 'TooManyCallsError';
  }
}

/** Calls and notes over one IPC end. */
export class RpcPeer {
  readonly #end: IpcEnd;
  readonly #handlers: RpcHandlers;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #closed: Error | undefined;
  readonly #onMessage = (message: unknown): void => this.#receive(message);

  constructor(end: IpcEnd, handlers: RpcHandlers) {
    this.#end = end;
    this.#handlers = handlers;
    end.on('message', this.#onMessage);
  }

  /** Calls `method` on the other side; resolves with its answer, rejects with its error (rebuilt). */
  call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    if (this.#pending.size >= MAX_PENDING_CALLS) {
      return Promise.reject(new TooManyCallsError());
    }
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#send({ spout: 'call', id, method, args });
    });
  }

  /** Tells the other side something; no answer. */
  note(method: string, ...args: unknown[]): void {
    if (this.#closed === undefined) this.#send({ spout: 'note', method, args });
  }

  /** Stops listening and rejects every call still waiting. */
  close(reason: Error = new ChannelClosedError()): void {
    if (this.#closed !== undefined) return;
    this.#closed = reason;
    this.#end.off('message', this.#onMessage);
    for (const { reject } of this.#pending.values()) reject(reason);
    this.#pending.clear();
  }

  #send(message: Message): void {
    const failed = (error: Error | null): void => {
      // The other process is gone (ERR_IPC_CHANNEL_CLOSED): whatever waits on it fails now.
      if (error !== null) this.close(new ChannelClosedError(`the IPC channel is closed: ${error.message}`));
    };
    try {
      this.#end.send(message, failed);
    } catch (error) {
      failed(error as Error);
    }
  }

  #receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || !('spout' in raw)) return;
    const message = raw as Message;
    if (message.spout === 'reply') {
      const waiting = this.#pending.get(message.id);
      if (waiting === undefined) return;
      this.#pending.delete(message.id);
      if (message.error === undefined) waiting.resolve(message.value);
      else waiting.reject(fromWire(message.error));
    } else if (message.spout === 'call') void this.#answer(message);
    else if (message.spout === 'note') this.#handlers[message.method]?.(...(message.args as never[]));
  }

  async #answer(call: { id: number; method: string; args: unknown[] }): Promise<void> {
    const handler = this.#handlers[call.method];
    try {
      if (handler === undefined) throw new Error(`no IPC method ${call.method}`);
      const value = await handler(...(call.args as never[]));
      if (this.#closed === undefined) this.#send({ spout: 'reply', id: call.id, value });
    } catch (error) {
      if (this.#closed === undefined) this.#send({ spout: 'reply', id: call.id, error: toWire(error) });
    }
  }
}
