/**
 * Counts the messages a subscriber missed: each publisher numbers its messages per channel,
 * so a jump in one origin's sequence is a loss (an outage, a publish that failed, a
 * subscriber that Redis disconnected for reading too slowly).
 */

/** Origins remembered per channel; publishers that restart get new ids, so old ones age out. */
const MAX_ORIGINS = 1024;

export class SequenceTracker {
  readonly #channels = new Map<string, Map<string, number>>();

  /** Records `sequence` from `origin` on `channel`; returns how many messages were skipped before it. */
  gap(channel: string, origin: string, sequence: number): number {
    let origins = this.#channels.get(channel);
    if (origins === undefined) {
      origins = new Map();
      this.#channels.set(channel, origins);
    }
    const last = origins.get(origin);
    if (last === undefined && origins.size >= MAX_ORIGINS) origins.delete(origins.keys().next().value!);
    origins.set(origin, sequence);
    return last !== undefined && sequence > last + 1 ? sequence - last - 1 : 0;
  }

  /** Forgets a channel (unsubscribed: what follows is not a gap). */
  forget(channel: string): void {
    this.#channels.delete(channel);
  }
}
