import { CatchUp, type HoldLimits, type Positioned } from '../replay/catch-up.ts';
import type { EventMap, Session } from '../session/session.ts';
import type { ChannelOptions, SessionFilter } from './options.ts';

const DEFAULT_MAX_REPLAY_BUFFER = 10_000;

/**
 * The sessions of a channel still being replayed to, each with the {@link CatchUp} that holds
 * the live events broadcast meanwhile, by their position in the history.
 */
export class Replaying<Events extends EventMap, State> {
  readonly #catchUps = new Map<Session<Events, State>, CatchUp<Positioned>>();
  readonly #limits: HoldLimits;

  constructor(options: ChannelOptions<Events, State>) {
    this.#limits = {
      maxItems: options.maxReplayBuffer ?? DEFAULT_MAX_REPLAY_BUFFER,
      maxBytes: options.maxReplayBufferBytes,
    };
  }

  get size(): number {
    return this.#catchUps.size;
  }

  sessions(): IterableIterator<Session<Events, State>> {
    return this.#catchUps.keys();
  }

  has(session: Session<Events, State>): boolean {
    return this.#catchUps.has(session);
  }

  /** The session's catch-up while it is replayed to (a new join makes a new one). */
  get(session: Session<Events, State>): CatchUp<Positioned> | undefined {
    return this.#catchUps.get(session);
  }

  /** Starts holding live events for `session`. */
  start(session: Session<Events, State>): CatchUp<Positioned> {
    const catchUp = new CatchUp<Positioned>(this.#limits);
    this.#catchUps.set(session, catchUp);
    return catchUp;
  }

  delete(session: Session<Events, State>): void {
    this.#catchUps.delete(session);
  }

  /** Holds a stored live event for every replaying session that `filter` lets have it. */
  hold(event: Positioned, filter: SessionFilter<Events, State> | undefined): void {
    for (const [session, catchUp] of this.#catchUps) {
      if (filter !== undefined && !filter(session)) continue;
      // [policy] bounded like every queue: closed (SLOW_CONSUMER_CLOSE.heldOverflow, reason 'server'),
      // the client reconnects and resumes from its last id.
      if (!catchUp.hold(event)) session.close();
    }
  }
}
