/**
 * The token endpoint (RFC 6749 §3.2, §4.1.3, §6): one form POST for the code exchange and the
 * refresh, with the client authenticated by HTTP Basic (RFC 6749 §2.3.1: id and secret
 * form-encoded first), in the body, or not at all (a public client with PKCE).
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { quotePlus } from "@tornado/httputil";
import { TokenExchangeError } from "./errors";
import { formEncode } from "./form-encode";
import { fetchFromProvider, providerJson, type JsonObject } from "./provider-response";

/** How the client proves itself at the token endpoint (OpenID Connect Core §9). */
export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface TokenRequest {
  url: string;
  /** grant_type, code, redirect_uri, code_verifier, refresh_token... */
  params: Record<string, string>;
  clientId: string;
  clientSecret?: string;
  authMethod: TokenEndpointAuthMethod;
  step: "token" | "refresh";
}

/**
 * POSTs the token request; resolves with the token response once it has an access_token.
 * TokenExchangeError carries the status and the provider's error (invalid_grant for a code
 * used twice); ProviderUnreachableError when no answer came.
 */
export async function requestTokens(client: AsyncHTTPClient, request: TokenRequest): Promise<JsonObject> {
  const params = { ...request.params };
  const headers: Record<string, string> = {
    "Content-Type": "application/x-www-form-urlencoded",
    Accept: "application/json",
  };
  if (request.authMethod === "client_secret_basic") {
    const credentials = `${quotePlus(request.clientId)}:${quotePlus(request.clientSecret ?? "")}`;
    headers.Authorization = `Basic ${Buffer.from(credentials).toString("base64")}`;
  } else {
    params.client_id = request.clientId;
    if (request.authMethod === "client_secret_post") params.client_secret = request.clientSecret ?? "";
  }
  const what = request.step === "refresh" ? "the refresh request" : "the token request";
  const response = await fetchFromProvider(
    client,
    request.url,
    { method: "POST", headers, body: formEncode(params), followRedirects: false },
    request.step,
    what,
  );
  const body = providerJson(response, request.step, TokenExchangeError, what);
  if (typeof body.access_token !== "string" || body.access_token === "") {
    throw new TokenExchangeError(`${what}: the answer has no access_token`, { step: request.step, status: response.code });
  }
  return body;
}
