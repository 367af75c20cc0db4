/**
 * The access log line of a finished request, shared by Application.logRequest and
 * NodeContainer. Tornado: Application.log_request, WSGIContainer._log.
 */

import { accessLog, LogLevel } from "@tornado/ioloop";

/**
 * Writes `"{status} {summary} {ms}ms"` on `tornado.access` at info (<400), warning (<500) or
 * error level; `summary` is `"{method} {uri} ({ip})"`, `seconds` the request time.
 */
export function logAccess(status: number, summary: string, seconds: number): void {
  const level = status < 400 ? LogLevel.INFO : status < 500 ? LogLevel.WARNING : LogLevel.ERROR;
  if (!accessLog.isEnabledFor(level)) return;
  accessLog.log(level, `${status} ${summary} ${(1000 * seconds).toFixed(2)}ms`);
}
