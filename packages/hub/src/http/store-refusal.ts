/**
 * What a publisher or a resuming subscriber is told when the store refuses or cannot answer.
 */
import {
  DuplicateIdError,
  StoreClosedError,
  StoreOverloadedError,
  StoreUnavailableError,
} from '../store/errors.ts';
import { HttpError } from './errors.ts';

/** Maps a store's refusals to answers a client can act on (409, 503 with Retry-After); undefined for other errors. */
export function storeRefusal(error: unknown): HttpError | undefined {
  if (error instanceof DuplicateIdError) {
    return new HttpError(
      409,
      `an update with id ${JSON.stringify(error.id)} already exists; ids must be unique`,
    );
  }
  if (error instanceof StoreOverloadedError) return new HttpError(503, error.message, { 'retry-after': '1' });
  if (error instanceof StoreClosedError) {
    return new HttpError(503, 'the hub is shutting down', { 'retry-after': '5' });
  }
  if (error instanceof StoreUnavailableError) {
    // An ambiguous failure may have stored the update: a retry with the same id is safe (see publish.ts).
    const advice = error.ambiguous ? '; the update may have been stored: retry with the same id' : '';
    return new HttpError(503, `the store is unavailable${advice}`, { 'retry-after': '1' });
  }
  return undefined;
}
