/**
 * The errors of @tornado/auth. Every failure of a login is an AuthError (Tornado's class), of
 * a subclass that names what failed: its stable `code`, the `step` of the flow, the HTTP
 * `status` of the provider's answer and the provider's own `error` / `error_description`,
 * so that a failed login never reads "failed to obtain access token" and nothing else.
 */

import { TornadoError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const AUTH_ERROR_CODES = {
  AuthError: "TORNADO_ERR_AUTH_FAILED",
  AuthConfigError: "TORNADO_ERR_AUTH_CONFIG",
  ProviderUnreachableError: "TORNADO_ERR_AUTH_PROVIDER_UNREACHABLE",
  DiscoveryError: "TORNADO_ERR_AUTH_DISCOVERY",
  FlowCookieMissingError: "TORNADO_ERR_AUTH_FLOW_COOKIE_MISSING",
  StateMismatchError: "TORNADO_ERR_AUTH_STATE_MISMATCH",
  IssuerMismatchError: "TORNADO_ERR_AUTH_ISSUER_MISMATCH",
  AuthorizationDeniedError: "TORNADO_ERR_AUTH_AUTHORIZATION_DENIED",
  CallbackInvalidError: "TORNADO_ERR_AUTH_CALLBACK_INVALID",
  TokenExchangeError: "TORNADO_ERR_AUTH_TOKEN_EXCHANGE",
  IDTokenInvalidError: "TORNADO_ERR_AUTH_ID_TOKEN_INVALID",
  UserinfoError: "TORNADO_ERR_AUTH_USERINFO",
  ProviderRequestError: "TORNADO_ERR_AUTH_PROVIDER_REQUEST",
  OpenIdVerificationError: "TORNADO_ERR_AUTH_OPENID_NOT_VERIFIED",
} as const;

/** Any code of AUTH_ERROR_CODES. */
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[keyof typeof AUTH_ERROR_CODES];

/**
 * The step of a login that failed: `"discovery"` (provider metadata, JWKS), `"authorize"`
 * (building the redirect), `"callback"` (the provider's redirect back), `"requestToken"` and
 * `"accessToken"` (OAuth 1.0a), `"token"` (code exchange), `"refresh"`, `"idToken"`,
 * `"userinfo"`, `"request"` (an API call: oauth2Request, facebookRequest, twitterRequest),
 * `"verify"` (OpenID 2.0 check_authentication).
 */
export type AuthStep =
  | "discovery"
  | "authorize"
  | "callback"
  | "requestToken"
  | "accessToken"
  | "token"
  | "refresh"
  | "idToken"
  | "userinfo"
  | "request"
  | "verify";

/** What an AuthError carries beside its message. */
export interface AuthErrorDetails {
  step?: AuthStep;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
  /** The provider's `error` (RFC 6749 §5.2, §4.1.2.1), e.g. `"invalid_grant"`, `"access_denied"`. */
  providerError?: string;
  /** The provider's `error_description`. */
  providerErrorDescription?: string;
  cause?: unknown;
}

/**
 * A login failed. Thrown as one of the subclasses below; catch AuthError to handle them all
 * and switch on `code`. A handler that lets it escape answers 500, as in Tornado.
 *
 * Tornado: auth.AuthError.
 */
export class AuthError<Code extends string = AuthErrorCode> extends TornadoError<Code> {
  static override readonly code: string = AUTH_ERROR_CODES.AuthError;
  readonly step: AuthStep | undefined;
  readonly status: number | undefined;
  readonly providerError: string | undefined;
  readonly providerErrorDescription: string | undefined;

  constructor(message: string, details: AuthErrorDetails = {}) {
    const { step, status, providerError, providerErrorDescription, cause } = details;
    let text = message;
    if (status !== undefined) text += ` (HTTP ${status})`;
    if (providerError !== undefined) {
      text += `: ${providerError}`;
      if (providerErrorDescription !== undefined) text += ` (${providerErrorDescription})`;
    } else if (providerErrorDescription !== undefined) {
      text += `: ${providerErrorDescription}`;
    }
    super(text, cause === undefined ? undefined : { cause });
    this.step = step;
    this.status = status;
    this.providerError = providerError;
    this.providerErrorDescription = providerErrorDescription;
  }
}

/** The settings or arguments cannot make a login: a missing client id, an http issuer. */
export class AuthConfigError extends AuthError<typeof AUTH_ERROR_CODES.AuthConfigError> {
  static override readonly code = AUTH_ERROR_CODES.AuthConfigError;
}

/** No answer from the provider: connection refused or reset, DNS, TLS, timeout (HTTP 599). */
export class ProviderUnreachableError extends AuthError<typeof AUTH_ERROR_CODES.ProviderUnreachableError> {
  static override readonly code = AUTH_ERROR_CODES.ProviderUnreachableError;
}

/** The provider's metadata or key set is unusable: not JSON, another issuer, no endpoint. */
export class DiscoveryError extends AuthError<typeof AUTH_ERROR_CODES.DiscoveryError> {
  static override readonly code = AUTH_ERROR_CODES.DiscoveryError;
}

/**
 * The callback came without a valid flow cookie (or OAuth 1.0a request-token cookie): never
 * set, expired, forged, already used, or not sent back by the browser.
 */
export class FlowCookieMissingError extends AuthError<typeof AUTH_ERROR_CODES.FlowCookieMissingError> {
  static override readonly code = AUTH_ERROR_CODES.FlowCookieMissingError;
}

/** The callback's `state` (or `oauth_token`) is not the one this browser's flow sent. */
export class StateMismatchError extends AuthError<typeof AUTH_ERROR_CODES.StateMismatchError> {
  static override readonly code = AUTH_ERROR_CODES.StateMismatchError;
}

/** The callback's `iss` (RFC 9207) is missing where the provider promised it, or differs. */
export class IssuerMismatchError extends AuthError<typeof AUTH_ERROR_CODES.IssuerMismatchError> {
  static override readonly code = AUTH_ERROR_CODES.IssuerMismatchError;
}

/** The provider redirected back with `error` (the user denied consent: `access_denied`). */
export class AuthorizationDeniedError extends AuthError<typeof AUTH_ERROR_CODES.AuthorizationDeniedError> {
  static override readonly code = AUTH_ERROR_CODES.AuthorizationDeniedError;
}

/** The callback is malformed: no `code`, or a parameter given twice. */
export class CallbackInvalidError extends AuthError<typeof AUTH_ERROR_CODES.CallbackInvalidError> {
  static override readonly code = AUTH_ERROR_CODES.CallbackInvalidError;
}

/** The token endpoint refused the code or refresh token, or answered something unusable. */
export class TokenExchangeError extends AuthError<typeof AUTH_ERROR_CODES.TokenExchangeError> {
  static override readonly code = AUTH_ERROR_CODES.TokenExchangeError;
}

/** The id_token fails verification: signature, alg, iss, aud, azp, exp, iat, nbf or nonce. */
export class IDTokenInvalidError extends AuthError<typeof AUTH_ERROR_CODES.IDTokenInvalidError> {
  static override readonly code = AUTH_ERROR_CODES.IDTokenInvalidError;
}

/** The user's profile could not be read, or its `sub` is not the id_token's. */
export class UserinfoError extends AuthError<typeof AUTH_ERROR_CODES.UserinfoError> {
  static override readonly code = AUTH_ERROR_CODES.UserinfoError;
}

/** An API call (oauth2Request, facebookRequest, twitterRequest) got a non-2xx or non-JSON answer. */
export class ProviderRequestError extends AuthError<typeof AUTH_ERROR_CODES.ProviderRequestError> {
  static override readonly code = AUTH_ERROR_CODES.ProviderRequestError;
}

/** OpenID 2.0: the provider did not confirm the assertion (`is_valid:true`). */
export class OpenIdVerificationError extends AuthError<typeof AUTH_ERROR_CODES.OpenIdVerificationError> {
  static override readonly code = AUTH_ERROR_CODES.OpenIdVerificationError;
}
