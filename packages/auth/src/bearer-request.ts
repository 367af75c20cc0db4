/**
 * An API call with an OAuth 2.0 access token: in the `Authorization: Bearer` header (RFC 6750
 * §2.1, the default), or in the query string as Tornado's oauth2_request sends it (RFC 6750
 * §2.3, which the RFC advises against: URLs end up in logs and Referer headers).
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { urlConcat } from "@tornado/httputil";
import type { AuthStep } from "./errors";
import { fetchFromProvider, providerJson, providerJsonValue, type AuthErrorClass } from "./provider-response";
import { formEncode } from "./form-encode";

export interface BearerRequest {
  url: string;
  accessToken?: string | null;
  /** Send the token as `?access_token=` (Tornado) rather than in the header. */
  tokenInQuery: boolean;
  /** Form fields: the request is a POST with them as its body. */
  postArgs?: Record<string, string> | null;
  /** Query arguments. */
  args?: Record<string, string>;
  headers?: Record<string, string>;
  step: AuthStep;
  ErrorClass: AuthErrorClass;
  what: string;
  /** The answer must be a JSON object (a profile), not any JSON value. */
  expectObject?: boolean;
}

/** Sends the request; resolves with the JSON-decoded answer (ErrorClass for a non-2xx one). */
export async function bearerRequest<T>(client: AsyncHTTPClient, request: BearerRequest): Promise<T> {
  const query: Array<[string, string]> = [];
  const headers: Record<string, string> = { Accept: "application/json", ...request.headers };
  if (request.accessToken) {
    if (request.tokenInQuery) query.push(["access_token", request.accessToken]);
    else headers.Authorization = `Bearer ${request.accessToken}`;
  }
  query.push(...Object.entries(request.args ?? {}));
  const url = query.length > 0 ? urlConcat(request.url, query) : request.url;
  const options =
    request.postArgs !== undefined && request.postArgs !== null
      ? { method: "POST", body: formEncode(request.postArgs), headers }
      : { headers };
  const response = await fetchFromProvider(client, url, options, request.step, request.what);
  const read = request.expectObject ? providerJson : providerJsonValue;
  return read(response, request.step, request.ErrorClass, request.what) as T;
}
