/**
 * Why the core refuses a subscription; the HTTP layer maps each to a status code.
 */

/** The hub is shutting down: no new subscription starts. */
export class HubClosingError extends Error {
  constructor() {
    super('the hub is shutting down');
    this.name = 'HubClosingError';
  }
}

/** A subscriber limit is reached (maxSubscribers, maxSubscribersPerAddress); the message names it. */
export class HubFullError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubFullError';
  }
}

/** The subscription was closed while its history was located (shutdown, or live updates over the cap). */
export class SubscriptionClosedError extends Error {
  constructor() {
    super('the subscription was closed before it started; retry');
    this.name = 'SubscriptionClosedError';
  }
}
