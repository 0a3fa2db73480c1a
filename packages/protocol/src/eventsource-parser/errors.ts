/** The error type of the eventsource-parser compatible API (same names, fields and messages). */

/**
 * The type of error that occurred.
 * @public
 */
export type ErrorType = 'invalid-retry' | 'unknown-field' | 'max-buffer-size-exceeded';

/**
 * Reported to `onError` while parsing. `invalid-retry` and `unknown-field` are diagnostics: the
 * spec ignores those lines and parsing goes on. `max-buffer-size-exceeded` stops the parser until
 * `reset()`.
 * @public
 */
export class ParseError extends Error {
  /** The type of error that occurred. */
  type: ErrorType;
  /** For `unknown-field`: the field name (the whole line when it has no colon). */
  field?: string | undefined;
  /** For `unknown-field` and `invalid-retry`: the field value. */
  value?: string | undefined;
  /** The line that caused the error, without its line end, if available. */
  line?: string | undefined;

  constructor(message: string, options: { type: ErrorType; field?: string; value?: string; line?: string }) {
    super(message);
    this.name = 'ParseError';
    this.type = options.type;
    this.field = options.field;
    this.value = options.value;
    this.line = options.line;
  }
}
