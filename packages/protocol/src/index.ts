/**
 * @spout/protocol: the `text/event-stream` format, and nothing else.
 * Pure functions and a pure parser: no I/O, no Node APIs, no dependencies.
 */
export {
  EventEncodingError,
  type EventFields,
  encodeComment,
  encodeCommentBytes,
  encodeEvent,
  encodeEventBytes,
} from './encode.ts';
export { ParseError, type ParseErrorCode } from './parse-error.ts';
export {
  createParser,
  DEFAULT_MAX_EVENT_SIZE,
  type EventStreamParser,
  type ParsedEvent,
  type ParserOptions,
} from './parser.ts';
