/**
 * How a handler turns an exception into a response, beside RequestHandler: its
 * _handleRequestException, logException, sendError and writeError call these functions,
 * which go through the handler's public methods (ErrorResponder), so overrides of sendError,
 * writeError, logException, finish... still apply.
 * Tornado: RequestHandler._handle_request_exception, log_exception, send_error, write_error.
 */

import { inspect } from "node:util";
import { xhtmlEscape } from "@tornado/escape";
import { HTTPInputError } from "@tornado/httputil";
import { appLog, genLog } from "@tornado/ioloop";
import { Finish, HTTPError } from "../errors";
import type { HeaderValue } from "../output/header-values";
import type { WriteChunk } from "../output/response-buffer";

/** What sendError and writeError receive. Tornado: send_error's **kwargs (exc_info, reason). */
export interface ErrorDetails {
  /** The thrown value that caused the error, if any (Tornado's exc_info). */
  error?: unknown;
  /** Reason phrase for the status line. */
  reason?: string;
  [key: string]: unknown;
}

/** The handler methods the error path goes through. */
export interface ErrorResponder {
  /** The request; its connection's close() cuts a response short (HTTPConnection.close). */
  readonly request: { readonly connection?: { close?(): void }; toString(): string };
  readonly finished: boolean;
  readonly headersWritten: boolean;
  readonly settings: { readonly serveTraceback?: boolean };
  clear(): void;
  setStatus(statusCode: number, reason?: string | null): void;
  setHeader(name: string, value: HeaderValue): void;
  finish(chunk?: WriteChunk | null): Promise<void>;
  sendError(statusCode: number, details: ErrorDetails): void;
  writeError(statusCode: number, details: ErrorDetails): void;
  logException(error: unknown): void;
  _requestSummary(): string;
}

/** A Finish ends the response; anything else is logged and answered 500 or its HTTPError's status. */
export function handleRequestException(handler: ErrorResponder, error: unknown): void {
  if (error instanceof Finish) {
    if (!handler.finished) void handler.finish(...(error.args.slice(0, 1) as [WriteChunk?]));
    return;
  }
  try {
    handler.logException(error);
  } catch (inner) {
    appLog.error("Error in exception logger", inner);
  }
  if (handler.finished) return;
  // Bad client input found while the handler runs (a MultipartParser error, an over-limit
  // query string read lazily) is answered with its status, as an HTTPError.
  if (error instanceof HTTPError || error instanceof HTTPInputError) handler.sendError(error.statusCode, { error });
  else handler.sendError(500, { error });
}

/** An HTTPError with a message: a warning on tornado.general; anything else: an error with the request. */
export function logException(handler: ErrorResponder, error: unknown): void {
  if (error instanceof HTTPError) {
    const message = error.getMessage();
    if (message) genLog.warning(`${error.statusCode} ${handler._requestSummary()}: ${message}`);
  } else if (error instanceof HTTPInputError) {
    genLog.warning(`${error.statusCode} ${handler._requestSummary()}: ${error.message}`);
  } else {
    appLog.error(`Uncaught exception ${handler._requestSummary()}\n${String(handler.request)}`, error);
  }
}

/**
 * Clears, sets the status, writes the error page (not for 304) and finishes. After the headers
 * went out, the connection is closed instead: ending the body normally (the terminating chunk)
 * would make a truncated response look complete (Tornado finishes it; node:http and fastify
 * close). finish() then only does the bookkeeping (access log, onFinish).
 */
export function sendError(handler: ErrorResponder, statusCode: number, details: ErrorDetails): void {
  if (handler.headersWritten) {
    if (handler.finished) return;
    genLog.warning(`Cannot send error response after headers written: closing the connection (${handler._requestSummary()})`);
    handler.request.connection?.close?.();
    try {
      void handler.finish();
    } catch (error) {
      genLog.error("Failed to flush partial response", error);
    }
    return;
  }
  handler.clear();
  let reason = details.reason;
  if (details.error instanceof HTTPError && details.error.reason) reason = details.error.reason;
  handler.setStatus(statusCode, reason);
  try {
    if (statusCode !== 304) handler.writeError(statusCode, details);
  } catch (error) {
    appLog.error("Uncaught exception in writeError", error);
  }
  if (!handler.finished) void handler.finish();
}

/**
 * The default error page, finishing the response: the stack as text/plain with the
 * `serveTraceback` setting, else a small HTML page with the status and `reason`.
 */
export function writeDefaultError(handler: ErrorResponder, statusCode: number, details: ErrorDetails, reason: string): void {
  if (handler.settings.serveTraceback && details.error !== undefined) {
    handler.setHeader("Content-Type", "text/plain");
    const error = details.error;
    void handler.finish(error instanceof Error ? (error.stack ?? String(error)) : typeof error === "string" ? error : inspect(error));
    return;
  }
  const escaped = xhtmlEscape(reason);
  void handler.finish(`<html><title>${statusCode}: ${escaped}</title><body>${statusCode}: ${escaped}</body></html>`);
}
