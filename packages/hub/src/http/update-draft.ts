/**
 * An update as a publisher describes it, the limits its fields are read under, and how a field is
 * refused: shared by the classic rules (publish-input.ts) and the current protocol's (publish-current.ts).
 */
import type { Protocol } from '../auth/index.ts';
import type { Update } from '../store/types.ts';
import { HttpError } from './errors.ts';

/** An update as the publisher described it; the hub fills in the id when absent. */
export interface UpdateDraft extends Omit<Update, 'id'> {
  id: string | undefined;
}

/** Limits applied while reading updates. */
export interface PublishLimits {
  maxTopicsPerUpdate: number;
  maxBatchSize: number;
  maxIdLength: number;
  /** The protocol whose field rules apply (the current one adds rules). Default classic. */
  protocol?: Protocol | undefined;
}

/** C0 controls, DEL and C1 controls. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Unicode format characters (general category Cf): invisible, they enable identifier spoofing. */
export const FORMAT = /\p{Cf}/u;

/** A refused field, naming the update of a batch it belongs to. */
export function refusal(status: number, message: string, index: number | undefined): HttpError {
  return new HttpError(status, index === undefined ? message : `update ${index}: ${message}`);
}
