/**
 * The signal that stops a hub, heard from the first moment of the process: a SIGTERM that
 * arrives while the hub is still starting (the port bound, publishes already acknowledged)
 * is kept and answered by a graceful shutdown once start-up ends, never by Node's default
 * of dying on the spot.
 */

/** The first SIGTERM or SIGINT since {@link listenForStop}. */
export interface StopSignal {
  /** Resolves with the first signal received (at once if one already came). */
  readonly received: Promise<NodeJS.Signals>;
}

/** Starts listening for SIGTERM and SIGINT; a second signal after the first exits at once with 1. */
export function listenForStop(): StopSignal {
  const received = new Promise<NodeJS.Signals>((resolve) => {
    const first = (signal: NodeJS.Signals): void => {
      process.off('SIGTERM', first);
      process.off('SIGINT', first);
      // A second signal while shutting down means "now".
      const force = (): never => process.exit(1);
      process.once('SIGTERM', force);
      process.once('SIGINT', force);
      resolve(signal);
    };
    process.on('SIGTERM', first);
    process.on('SIGINT', first);
  });
  return { received };
}
