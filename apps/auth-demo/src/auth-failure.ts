/**
 * What a failed login answers: the HTTP status an AuthError's code calls for, and whether it
 * is the browser's request that was wrong (400), the user who said no (401), or the provider
 * that failed (502). Either way it is news about the outside world, logged at WARNING; only a
 * configuration the app cannot log in with is the server's own fault (500, ERROR).
 */

import {
  AuthConfigError,
  type AuthError,
  AuthorizationDeniedError,
  CallbackInvalidError,
  FlowCookieMissingError,
  IssuerMismatchError,
  StateMismatchError,
} from "@tornado/tornado";

/** 400, 401, 500 or 502 for an AuthError. */
export function authErrorStatus(error: AuthError): number {
  if (error instanceof FlowCookieMissingError || error instanceof StateMismatchError || error instanceof IssuerMismatchError || error instanceof CallbackInvalidError) {
    return 400;
  }
  if (error instanceof AuthorizationDeniedError) return 401;
  if (error instanceof AuthConfigError) return 500;
  return 502;
}

/** A sentence for the error page: what probably happened and what to do. */
export function authErrorAdvice(error: AuthError): string {
  if (error instanceof FlowCookieMissingError) {
    return "This sign-in was not started in this browser, was already used, or took longer than 10 minutes. Start it again.";
  }
  if (error instanceof StateMismatchError || error instanceof IssuerMismatchError) {
    return "The answer that came back is not the one this browser's sign-in asked for, so it was refused. Start the sign-in again.";
  }
  if (error instanceof AuthorizationDeniedError) return "The provider did not sign you in (you may have cancelled). You can try again.";
  if (error instanceof CallbackInvalidError) return "The provider's answer was malformed. Start the sign-in again.";
  if (error instanceof AuthConfigError) return "The app is not configured for this provider; see the server's log.";
  return "The identity provider failed or could not be reached. Try again in a moment.";
}
