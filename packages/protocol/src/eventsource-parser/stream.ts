/**
 * `@spout/protocol/eventsource-parser/stream`: eventsource-parser's `EventSourceParserStream`, a
 * separate module as in the original, so that importing the parser never needs `TransformStream`.
 */
import { createParser } from './parse.ts';
import type { EventSourceMessage, EventSourceParser, ParserCallbacks } from './types.ts';

/**
 * Options for {@link EventSourceParserStream}.
 * @public
 */
export interface StreamOptions {
  /** As `createParser`'s `onId`: the id of each block that set one, before its event is enqueued. */
  onId?: ParserCallbacks['onId'];
  /**
   * What a parse error does: a function is called with it; `'terminate'` errors the stream; anything
   * else ignores it. A `max-buffer-size-exceeded` error always errors the stream.
   */
  onError?: ('terminate' | ((error: Error) => void)) | undefined;
  /** As `createParser`'s `onRetry`. */
  onRetry?: ParserCallbacks['onRetry'];
  /** As `createParser`'s `onComment`. */
  onComment?: ParserCallbacks['onComment'];
  /** As `createParser`'s `maxBufferSize`. */
  maxBufferSize?: number | undefined;
}

/**
 * A TransformStream from text to {@link EventSourceMessage}s.
 *
 * @example
 * const events = response.body
 *   .pipeThrough(new TextDecoderStream())
 *   .pipeThrough(new EventSourceParserStream());
 * @public
 */
export class EventSourceParserStream extends TransformStream<string, EventSourceMessage> {
  constructor({ onError, onRetry, onComment, onId, maxBufferSize }: StreamOptions = {}) {
    let parser!: EventSourceParser;
    super({
      start(controller) {
        parser = createParser({
          onEvent: (event) => controller.enqueue(event),
          onError(error) {
            if (typeof onError === 'function') onError(error);
            // The parser is unusable after this error until reset(), which a stream cannot call.
            if (onError === 'terminate' || error.type === 'max-buffer-size-exceeded') controller.error(error);
          },
          onRetry,
          onComment,
          onId,
          maxBufferSize,
        });
      },
      transform(chunk) {
        parser.feed(chunk);
      },
    });
  }
}

export { type ErrorType, ParseError } from './errors.ts';
export type { EventSourceMessage } from './types.ts';
