/**
 * The two ends of a redirect login that OAuth2Mixin's providers and OpenIdConnectMixin share:
 * the start (a fresh state, PKCE verifier and nonce in the flow cookie, their public halves as
 * authorization parameters) and the configuration both ends read from the handler.
 */

import type { RequestHandler } from "@tornado/web";
import { AuthConfigError } from "./errors";
import { localReturnTo, pkceChallenge, randomToken, writeFlowCookie, type AuthCookieOptions, type AuthFlow } from "./flow-cookie";

/** The flow settings a login handler carries (OAuth2Mixin's and OpenIdConnectMixin's fields). */
export interface LoginFlowHandler extends RequestHandler {
  AUTH_FLOW_COOKIE: string;
  AUTH_FLOW_MAX_AGE: number;
}

/** The flow cookie of a handler. */
export function flowCookieOf(handler: LoginFlowHandler): AuthCookieOptions {
  return { name: handler.AUTH_FLOW_COOKIE, maxAge: handler.AUTH_FLOW_MAX_AGE };
}

/** What a flow sends: PKCE (S256), a nonce, where to return. */
export interface FlowStart {
  pkce: boolean;
  nonce: boolean;
  returnTo?: string;
  /** Parameters the caller sends too, which must not contain the flow's own. */
  extraParams?: Record<string, string>;
}

/**
 * Starts a flow: writes the flow cookie and returns the parameters to add to the
 * authorization URL (`state`, `code_challenge`, `code_challenge_method`, `nonce`).
 */
export function startLoginFlow(handler: LoginFlowHandler, start: FlowStart): Array<[string, string]> {
  for (const name of ["state", "nonce", "code_challenge", "code_challenge_method"]) {
    if (start.extraParams !== undefined && Object.hasOwn(start.extraParams, name)) {
      throw new AuthConfigError(`extraParams.${name} would replace the login flow's own ${name}`, { step: "authorize" });
    }
  }
  const flow: AuthFlow = { state: randomToken() };
  const params: Array<[string, string]> = [["state", flow.state]];
  if (start.pkce) {
    flow.codeVerifier = randomToken();
    params.push(["code_challenge", pkceChallenge(flow.codeVerifier)], ["code_challenge_method", "S256"]);
  }
  if (start.nonce) {
    flow.nonce = randomToken();
    params.push(["nonce", flow.nonce]);
  }
  if (start.returnTo !== undefined) flow.returnTo = localReturnTo(handler, start.returnTo);
  writeFlowCookie(handler, flowCookieOf(handler), flow);
  return params;
}

/** This request's URL without its query: the default redirect_uri of a login handler. */
export function currentUrlWithoutQuery(handler: RequestHandler): string {
  const { protocol, host, path } = handler.request;
  return `${protocol}://${host}${path}`;
}
