/**
 * Body parsing for buffered requests. Tornado: HTTPServerRequest._parse_body, called from
 * RequestHandler._execute so that a malformed body is answered 400.
 */

import type { HTTPServerRequest } from "@tornado/httpserver";

/** Parses the body into the request's argument maps. Throws HTTPInputError on a malformed body. */
export function parseRequestBody(request: HTTPServerRequest): void {
  // An empty body parses to nothing: leave the maps lazy.
  if (request.body.length > 0) request.parseBody();
}
