/**
 * @tornado/auth: Tornado's login mixins (OpenID 2.0, OAuth 1.0a, OAuth 2.0, Google, Facebook,
 * Twitter), plus OpenID Connect for any provider and GitHub, as mixins over RequestHandler,
 * on @tornado/httpclient. Tornado: tornado.auth.
 *
 * @example
 * import { Application, RequestHandler } from "@tornado/web";
 * import { OpenIdConnectMixin } from "@tornado/auth";
 *
 * class Login extends OpenIdConnectMixin(RequestHandler) {
 *   async get() {
 *     if (this.getArgument("code", null)) {
 *       const { user } = await this.getAuthenticatedUser();
 *       this.setSignedCookie("user", JSON.stringify(user));
 *       this.redirect("/");
 *     } else await this.authorizeRedirect({ scope: ["openid", "email", "profile"] });
 *   }
 * }
 * new Application([["/login", Login]], { cookieSecret, loginUrl: "/login",
 *   openidConnect: { issuer, clientId, clientSecret, redirectUri } });
 */
export {
  AUTH_ERROR_CODES,
  AuthError,
  AuthConfigError,
  AuthorizationDeniedError,
  CallbackInvalidError,
  DiscoveryError,
  FlowCookieMissingError,
  IDTokenInvalidError,
  IssuerMismatchError,
  OpenIdVerificationError,
  ProviderRequestError,
  ProviderUnreachableError,
  StateMismatchError,
  TokenExchangeError,
  UserinfoError,
} from "./errors";
export type { AuthErrorCode, AuthErrorDetails, AuthStep } from "./errors";
export type { MixinArguments, RequestHandlerBase } from "./handler-base";
export type { AuthLogin, AuthTokens, AuthUser } from "./auth-login";
export type { CheckedCallback } from "./authorization-callback";
export type { AuthFlow } from "./flow-cookie";
export type { OAuth2ClientSettings, OpenIdConnectSettings } from "./settings";
export { OpenIdMixin } from "./openid-mixin";
export type { OpenIdMembers, OpenIdRedirectOptions } from "./openid-mixin";
export { OAuthMixin } from "./oauth-mixin";
export type { OAuthAuthorizeOptions, OAuthMembers, OAuthUser } from "./oauth-mixin";
export { oauthSignature, oauthSignatureBaseString } from "./oauth1-signature";
export type { OAuthParameters, OAuthToken, OAuthVersion } from "./oauth1-signature";
export { TwitterMixin } from "./twitter-mixin";
export type { TwitterMembers } from "./twitter-mixin";
export { OAuth2Mixin } from "./oauth2-mixin";
export type { OAuth2AuthorizeOptions, OAuth2Members, OAuth2TokenUrlOptions } from "./oauth2-mixin";
export { GoogleOAuth2Mixin } from "./google-oauth2-mixin";
export type { GoogleAuthenticatedUserOptions, GoogleOAuth2Members } from "./google-oauth2-mixin";
export { FacebookGraphMixin } from "./facebook-graph-mixin";
export type { FacebookAuthenticatedUserOptions, FacebookGraphMembers } from "./facebook-graph-mixin";
export { GitHubOAuth2Mixin } from "./github-oauth2-mixin";
export type { GitHubOAuth2Members } from "./github-oauth2-mixin";
export { OpenIdConnectMixin } from "./openid-connect-mixin";
export type {
  OpenIdConnectAuthorizeOptions,
  OpenIdConnectLogoutOptions,
  OpenIdConnectMembers,
  OpenIdConnectUser,
} from "./openid-connect-mixin";
export type { ProviderMetadata } from "./oidc/provider-metadata";
export type { IDTokenClaims } from "./oidc/id-token-claims";
export type { TokenEndpointAuthMethod } from "./token-request";
