/** Checks that a test leaves no timer or socket behind, through the process's own list of live resources. */

/** Counts of the resources that keep a process alive, by kind (`Timeout`, `TCPSocketWrap`...). */
export function liveResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * Resolves once no more sockets are open than in `before`, then asserts that no more timers are pending.
 * A socket left open makes the wait (and so the test) hang until the test runner's timeout fails it.
 */
export async function settlesTo(before: Map<string, number>): Promise<{ timers: number; sockets: number }> {
  const sockets = () => liveResources().get('TCPSocketWrap') ?? 0;
  while (sockets() > (before.get('TCPSocketWrap') ?? 0))
    await new Promise((resolve) => setImmediate(resolve));
  return {
    timers: (liveResources().get('Timeout') ?? 0) - (before.get('Timeout') ?? 0),
    sockets: sockets() - (before.get('TCPSocketWrap') ?? 0),
  };
}
