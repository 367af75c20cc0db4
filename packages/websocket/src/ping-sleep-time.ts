/**
 * Seconds to wait before the next ping: `max(0, lastPingTime + interval - now)` (all seconds).
 * Tornado: WebSocketProtocol13.ping_sleep_time.
 */
export function pingSleepTime(options: { lastPingTime: number; interval: number; now: number }): number {
  return Math.max(0, options.lastPingTime + options.interval - options.now);
}
