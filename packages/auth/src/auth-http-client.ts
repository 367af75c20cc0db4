/**
 * The client the mixins use unless getAuthHttpClient() is overridden: one per process, made on
 * first use, as Tornado's `AsyncHTTPClient()` is one per IOLoop.
 */

import { AsyncHTTPClient } from "@tornado/httpclient";

let shared: AsyncHTTPClient | undefined;

/** The process's shared auth client (idle keep-alive connections do not hold the process open). */
export function defaultAuthHttpClient(): AsyncHTTPClient {
  if (shared === undefined || shared.closed) shared = new AsyncHTTPClient();
  return shared;
}
