/**
 * Tornado: web.ErrorHandler.
 */

import { HTTPError } from "../errors";
import { RequestHandler } from "./request-handler";

/**
 * Answers every request with `statusCode` (as an HTTPError from prepare). The default 404
 * handler. Init argument: `{ statusCode }`. Tornado: web.ErrorHandler.
 */
export class ErrorHandler extends RequestHandler {
  #statusCode = 500;

  override initialize(options: { statusCode: number } = { statusCode: 500 }): void {
    this.#statusCode = options.statusCode;
  }

  override prepare(): void {
    throw new HTTPError(this.#statusCode);
  }

  /** The XSRF check is skipped: an error page must not turn into 403. */
  override checkXsrfCookie(): void {}
}
