/**
 * Heartbeats on one shared timer per interval, not one timer per session:
 * 10,000 sessions cost one `setInterval`, and a session that wrote anything
 * since the last beat is skipped (its own traffic already keeps proxies awake).
 */

/** What the shared timer needs from a session. */
export interface Beating {
  /** Writes a heartbeat unless the session was active since the last beat; clears the activity mark. */
  beat(): void;
}

interface HeartbeatGroup {
  readonly members: Set<Beating>;
  readonly timer: NodeJS.Timeout;
}

const groups = new Map<number, HeartbeatGroup>();

/** Adds a session to the shared timer for `intervalMs`, starting the timer if it is the first. */
export function joinHeartbeat(intervalMs: number, member: Beating): void {
  let group = groups.get(intervalMs);
  if (group === undefined) {
    const members = new Set<Beating>();
    const timer = setInterval(beatAll, intervalMs, members);
    // The heartbeat alone must not keep the process alive.
    timer.unref();
    group = { members, timer };
    groups.set(intervalMs, group);
  }
  group.members.add(member);
}

/** Removes a session; the timer stops when its last session leaves. */
export function leaveHeartbeat(intervalMs: number, member: Beating): void {
  const group = groups.get(intervalMs);
  if (group === undefined) return;
  group.members.delete(member);
  if (group.members.size === 0) {
    clearInterval(group.timer);
    groups.delete(intervalMs);
  }
}

/** Number of running heartbeat timers (one per distinct interval in use). */
export function heartbeatTimerCount(): number {
  return groups.size;
}

function beatAll(members: Set<Beating>): void {
  for (const member of members) member.beat();
}
