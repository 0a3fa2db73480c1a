/**
 * Why a connection attempt failed, or why events were lost:
 * - `network`: the request could not be sent or the body broke off (reconnects).
 * - `ended`: the server ended the body cleanly (reconnects, as the spec wants).
 * - `stall`: no byte arrived for `stallTimeout` milliseconds (reconnects).
 * - `http-status`: the response status is not a success (408, 429, 500, 502, 503 and 504 reconnect; others are final).
 * - `content-type`: the response is not `text/event-stream` (final).
 * - `no-content`: the server answered 204, its way of saying "stop" (final).
 * - `request`: building the request failed, e.g. a `headers` callback threw (final).
 * - `rejected`: the `onOpen` callback threw or rejected for the response; `cause` holds what it threw (final).
 * - `decode`: the `parse` option threw for an event's data (final).
 * - `event-too-large`: one event exceeded `maxEventSize` and was dropped; the stream goes on.
 * - `listener`: an event listener threw; the stream goes on.
 * - `retries-exhausted`: the reconnect policy gave up; `cause` holds the last failure.
 */
export type SseErrorReason =
  | 'network'
  | 'ended'
  | 'stall'
  | 'http-status'
  | 'content-type'
  | 'no-content'
  | 'request'
  | 'rejected'
  | 'decode'
  | 'event-too-large'
  | 'listener'
  | 'retries-exhausted';

/** Details an {@link SseError} may carry. */
export interface SseErrorDetails {
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** HTTP reason phrase of the response, when there was one. */
  statusText?: string;
  /** The first bytes (at most 2 KiB) of an error response's body, decoded as UTF-8. */
  body?: string;
  /** Delay asked for by a `Retry-After` response header, in milliseconds. */
  retryAfter?: number;
  /** The URL the failing request was sent to (after redirects, when known). */
  url?: string;
  /** The underlying error. */
  cause?: unknown;
}

const RETRYABLE_REASONS: ReadonlySet<SseErrorReason> = new Set(['network', 'ended', 'stall']);
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** An error of a Server-Sent Events connection, with the HTTP status and reason when there was a response. */
export class SseError extends Error {
  /** Machine-readable reason; see {@link SseErrorReason}. */
  readonly reason: SseErrorReason;
  /** HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  /** HTTP reason phrase of the response, when there was one. */
  readonly statusText: string | undefined;
  /** The first bytes (at most 2 KiB) of an error response's body. */
  readonly body: string | undefined;
  /** Delay asked for by a `Retry-After` header, in milliseconds. */
  readonly retryAfter: number | undefined;
  /** The URL of the failing request. */
  readonly url: string | undefined;

  constructor(reason: SseErrorReason, message: string, details: SseErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SseError';
    this.reason = reason;
    this.status = details.status;
    this.statusText = details.statusText;
    this.body = details.body;
    this.retryAfter = details.retryAfter;
    this.url = details.url;
  }

  /** Whether the default reconnect policy tries again after this error. */
  get retryable(): boolean {
    if (RETRYABLE_REASONS.has(this.reason)) return true;
    return this.reason === 'http-status' && this.status !== undefined && RETRYABLE_STATUSES.has(this.status);
  }
}
