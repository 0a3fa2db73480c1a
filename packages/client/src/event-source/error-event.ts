/**
 * The `error` event of an EventSource. To the spec it is a plain `Event` named `error` (an
 * instance of Event, not cancelable, not bubbling); like the `eventsource` package (v4), it also
 * says what went wrong, since the spec leaves scripts no other way to find out.
 */
export class EventSourceErrorEvent extends Event {
  /** What went wrong, e.g. the status line of a refused response or the network error's message. */
  readonly message: string | undefined;
  /** The HTTP status of the response that failed the connection, when there was one. */
  readonly code: number | undefined;

  constructor(type: string, init: { message?: string; code?: number } = {}) {
    super(type);
    this.message = init.message;
    this.code = init.code;
  }
}
