/**
 * `@spout/protocol/eventsource-parser`: the API of the eventsource-parser package (v3 and v4) on
 * Spout's spec-exact parser. Switching is one import; the differences are in docs/migrating.md.
 */
export { type ErrorType, ParseError } from './errors.ts';
export { createParser } from './parse.ts';
export type { EventSourceMessage, EventSourceParser, ParserCallbacks, ParserConfig } from './types.ts';
