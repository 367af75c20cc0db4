/**
 * The provider's redirect back (RFC 6749 §4.1.2): read once, in the order that keeps a forged
 * callback from being mistaken for a real one. Each parameter appears once; the flow cookie is
 * taken (and cleared); `state` must be the flow's; `iss` (RFC 9207) the issuer's; then an
 * `error` is the provider's refusal, and otherwise `code` is required.
 */

import type { RequestHandler } from "@tornado/web";
import { AuthorizationDeniedError, CallbackInvalidError, IssuerMismatchError } from "./errors";
import { checkSameSecret, takeFlowCookie, type AuthCookieOptions, type AuthFlow } from "./flow-cookie";

/** How a callback is checked. */
export interface CallbackCheck {
  /** The flow cookie to take; absent for Tornado's stateless OAuth 2.0 flow. */
  flowCookie?: AuthCookieOptions;
  /** The issuer `iss` must equal when present. */
  issuer?: string;
  /** `iss` must be present (the provider advertises authorization_response_iss_parameter_supported). */
  issuerRequired?: boolean;
  /** The code, when the caller already has it (Tornado's get_authenticated_user(code=...)). */
  code?: string;
}

/** A checked callback: the code and the flow it belongs to. */
export interface CheckedCallback {
  code: string;
  flow: AuthFlow | undefined;
}

const CALLBACK_PARAMETERS = ["code", "state", "iss", "error", "error_description"];

/** One query parameter of the callback; CallbackInvalidError when it is repeated. */
function single(handler: RequestHandler, name: string): string | undefined {
  const values = handler.getQueryArguments(name, false);
  if (values.length > 1) {
    throw new CallbackInvalidError(`the callback carries ${name} ${values.length} times`, { step: "callback" });
  }
  return values[0];
}

/** Checks the callback of the request `handler` serves; see the module comment. */
export function checkAuthorizationCallback(handler: RequestHandler, check: CallbackCheck): CheckedCallback {
  const parameters: Record<string, string | undefined> = {};
  for (const name of CALLBACK_PARAMETERS) parameters[name] = single(handler, name);
  let flow: AuthFlow | undefined;
  if (check.flowCookie !== undefined) {
    flow = takeFlowCookie(handler, check.flowCookie);
    checkSameSecret(
      parameters.state,
      flow.state,
      parameters.state === undefined
        ? "the callback carries no state"
        : "the callback's state is not the one this browser's login sent (a forged or crossed callback)",
      "callback",
    );
  }
  if (check.issuer !== undefined) {
    const iss = parameters.iss;
    if (iss === undefined ? check.issuerRequired : iss !== check.issuer) {
      throw new IssuerMismatchError(
        iss === undefined
          ? `the callback carries no iss, which ${check.issuer} promises (RFC 9207)`
          : `the callback's iss ${JSON.stringify(iss)} is not the issuer ${check.issuer} (RFC 9207: a mix-up)`,
        { step: "callback" },
      );
    }
  }
  if (parameters.error !== undefined) {
    throw new AuthorizationDeniedError("the provider refused the authorization", {
      step: "callback",
      providerError: parameters.error,
      providerErrorDescription: parameters.error_description,
    });
  }
  const code = check.code ?? parameters.code;
  if (code === undefined || code === "") {
    throw new CallbackInvalidError("the callback carries neither code nor error", { step: "callback" });
  }
  return { code, flow };
}
