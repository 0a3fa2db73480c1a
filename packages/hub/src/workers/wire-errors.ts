/**
 * Errors across the IPC channel between the primary and its workers: structured clone keeps only a
 * message, so each error travels as plain data and comes back as its own class (a worker answers a
 * DuplicateIdError with 409 exactly as a single process does).
 */
import { HubFullError } from '../core/errors.ts';
import * as store from '../store/errors.ts';

/** An error as plain data. */
export interface WireError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
  /** Where it was thrown, in the other process (shown with SPOUT_DEBUG=1). */
  stack?: string | undefined;
}

/** The error as plain data: its name, message and own fields (a `cause` travels as its message). */
export function toWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value !== 'object' || value === null) fields[key] = value;
  }
  if (error.cause !== undefined) fields['cause'] = String((error.cause as Error).message ?? error.cause);
  return { name: error.name, message: error.message, fields, stack: error.stack };
}

const rebuild: Record<string, (wire: WireError) => Error> = {
  DuplicateIdError: ({ fields }) => new store.DuplicateIdError(String(fields['id'])),
  StoreClosedError: () => new store.StoreClosedError(),
  StoreOverloadedError: ({ fields }) => new store.StoreOverloadedError(Number(fields['limit'])),
  WatchGapError: ({ fields }) => new store.WatchGapError(Number(fields['from']), Number(fields['to'])),
  HistoryRewoundError: ({ fields }) =>
    new store.HistoryRewoundError(
      Number(fields['after']),
      fields['afterId'] === undefined ? undefined : String(fields['afterId']),
      Number(fields['through']),
    ),
  StoreUnavailableError: ({ message, fields }) =>
    new store.StoreUnavailableError(message, fields['ambiguous'] === true, fields['cause']),
  HubFullError: ({ message }) => new HubFullError(message),
  RangeError: ({ message }) => new RangeError(message),
  TypeError: ({ message }) => new TypeError(message),
};

/**
 * The error back as its class; another comes back as an Error with the same name and fields (a
 * system error keeps its `code`, `address` and `port`, so it is reported as in one process).
 */
export function fromWire(wire: WireError): Error {
  const make = rebuild[wire.name];
  const error = make === undefined ? Object.assign(new Error(wire.message), wire.fields) : make(wire);
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}
