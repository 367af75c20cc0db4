/**
 * Broadcasts wait for the end of the current task and go out together: a group writes all the
 * messages of one task to a member in one write (one system call per member, not one per
 * message). The messages of a burst (a Redis read carries hundreds) then cost one write per
 * member. A write to one connection (writeMessage, close) first flushes what is waiting, so
 * that each connection still sees its messages in the order they were sent.
 */

/** A group with messages waiting. */
export interface PendingBroadcasts {
  _flush(): void;
}

const pending = new Set<PendingBroadcasts>();
let scheduled = false;

function flushScheduled(): void {
  scheduled = false;
  flushBroadcasts();
}

/** Flushes `group` at the end of the current task (or before the next direct write). */
export function scheduleFlush(group: PendingBroadcasts): void {
  pending.add(group);
  if (!scheduled) {
    scheduled = true;
    queueMicrotask(flushScheduled);
  }
}

/** Writes every waiting broadcast now. */
export function flushBroadcasts(): void {
  if (pending.size === 0) return;
  for (const group of pending) {
    pending.delete(group);
    group._flush();
  }
}
