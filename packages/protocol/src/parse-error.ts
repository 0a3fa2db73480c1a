/** Why the parser dropped input. */
export type ParseErrorCode = 'event-too-large';

/** Reported when the parser cannot keep part of a stream; the parser stays usable. */
export class ParseError extends Error {
  /** Machine-readable reason. */
  readonly code: ParseErrorCode;

  constructor(code: ParseErrorCode, message: string) {
    super(message);
    this.name = 'ParseError';
    this.code = code;
  }
}
