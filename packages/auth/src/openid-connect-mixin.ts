/**
 * OpenIdConnectMixin: sign-in with any OpenID Connect provider, the authorization code flow
 * done as RFC 9700 (OAuth 2.0 Security BCP) and OpenID Connect Core ask. Beyond Tornado.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import { urlConcat } from "@tornado/httputil";
import { defaultAuthHttpClient } from "./auth-http-client";
import { tokensFromResponse, type AuthLogin, type AuthTokens, type AuthUser } from "./auth-login";
import { checkAuthorizationCallback } from "./authorization-callback";
import { bearerRequest } from "./bearer-request";
import { AuthConfigError, DiscoveryError, FlowCookieMissingError, TokenExchangeError, UserinfoError } from "./errors";
import type { MixinArguments, RequestHandlerBase } from "./handler-base";
import { flowCookieOf, startLoginFlow } from "./login-flow";
import type { IDTokenClaims } from "./oidc/id-token-claims";
import { verifyIdToken } from "./oidc/id-token";
import { remoteKeySet } from "./oidc/key-set";
import { discoverProvider, type ProviderMetadata } from "./oidc/provider-metadata";
import type { OpenIdConnectSettings } from "./settings";
import { requestTokens, type TokenEndpointAuthMethod } from "./token-request";

/** A user as an OpenID Connect provider describes them: `sub` and the identity claims. */
export type OpenIdConnectUser = AuthUser & { sub: string };

/** Options of OpenIdConnectMixin.authorizeRedirect. */
export interface OpenIdConnectAuthorizeOptions {
  /** Scopes; "openid" is always sent. Default: the setting's scope, else ["openid"]. */
  scope?: string[];
  /** More authorization parameters: `prompt`, `login_hint`, `ui_locales`... */
  extraParams?: Record<string, string>;
  /** A path on this site, given back by getAuthenticatedUser as `returnTo`. */
  returnTo?: string;
  /** Default: the setting's redirectUri. */
  redirectUri?: string;
}

/** Options of OpenIdConnectMixin.getLogoutUrl (RP-Initiated Logout 1.0). */
export interface OpenIdConnectLogoutOptions {
  /** The id_token of the login: the provider knows whose session to end without asking. */
  idTokenHint?: string;
  /** Default: the setting's postLogoutRedirectUri. */
  postLogoutRedirectUri?: string;
  state?: string;
  logoutHint?: string;
}

/** Claims about the token rather than the user: kept out of `user`. */
const PROTOCOL_CLAIMS = ["iss", "aud", "exp", "iat", "nbf", "nonce", "azp", "at_hash", "c_hash", "s_hash", "auth_time", "sid", "jti", "acr", "amr"];
const ASYMMETRIC_ALGORITHM = /^(?:(?:RS|PS|ES)(?:256|384|512)|ES256K|EdDSA|Ed25519)$/;
const DEFAULT_CLOCK_TOLERANCE = 30;

/** What OpenIdConnectMixin adds to a handler class. */
export declare abstract class OpenIdConnectMembers {
  constructor(...args: MixinArguments);
  /** The flow cookie's name, default "_auth_flow". */
  AUTH_FLOW_COOKIE: string;
  /** Seconds a started login stays valid, default 600. */
  AUTH_FLOW_MAX_AGE: number;
  /** The `openidConnect` setting; override to read it elsewhere (one provider per handler class). */
  getOpenIdConnectSettings(): OpenIdConnectSettings;
  /** The provider's discovery document, checked and cached (discoveryCacheSeconds). */
  getProviderMetadata(): Promise<ProviderMetadata>;
  /**
   * Starts a login: a fresh state, nonce and PKCE S256 verifier in the flow cookie, and a
   * redirect to the provider's authorization endpoint. Resolves when the redirect is sent.
   */
  authorizeRedirect(options?: OpenIdConnectAuthorizeOptions): Promise<void>;
  /**
   * Finishes a login on the callback: checks it (flow cookie, state, RFC 9207 iss, error),
   * exchanges the code with the PKCE verifier, verifies the id_token, reads userinfo (its
   * `sub` must match). Resolves with `{ user, tokens, returnTo }`; every failure is an AuthError.
   */
  getAuthenticatedUser(options?: { redirectUri?: string }): Promise<AuthLogin<OpenIdConnectUser>>;
  /**
   * New tokens for a refresh token (RFC 6749 §6). A returned id_token is verified and must
   * be about `subject` when given; the old refresh token is kept when no new one comes.
   */
  refreshTokens(refreshToken: string, options?: { scope?: string[]; subject?: string }): Promise<AuthTokens>;
  /** The provider's logout URL (RP-Initiated Logout 1.0); DiscoveryError when it has none. */
  getLogoutUrl(options?: OpenIdConnectLogoutOptions): Promise<string>;
  /** The client for the provider's endpoints; override to use another. Tornado: get_auth_http_client. */
  getAuthHttpClient(): AsyncHTTPClient;
}

function checkSettings(value: unknown): OpenIdConnectSettings {
  const settings = value as Partial<OpenIdConnectSettings> | undefined;
  if (typeof settings !== "object" || settings === null) {
    throw new AuthConfigError("OpenIdConnectMixin needs the openidConnect setting: { issuer, clientId, clientSecret, redirectUri }");
  }
  for (const name of ["issuer", "clientId", "redirectUri"] as const) {
    if (typeof settings[name] !== "string" || settings[name] === "") {
      throw new AuthConfigError(`the openidConnect setting needs ${name} (a string), got ${JSON.stringify(settings[name])}`);
    }
  }
  return settings as OpenIdConnectSettings;
}

function authMethodOf(settings: OpenIdConnectSettings): TokenEndpointAuthMethod {
  return settings.tokenEndpointAuthMethod ?? (settings.clientSecret ? "client_secret_basic" : "none");
}

function algorithmsOf(settings: OpenIdConnectSettings, metadata: ProviderMetadata): string[] {
  if (settings.idTokenSigningAlgorithms !== undefined) return settings.idTokenSigningAlgorithms;
  const advertised = (metadata.id_token_signing_alg_values_supported ?? []).filter((alg) => ASYMMETRIC_ALGORITHM.test(alg));
  return advertised.length > 0 ? advertised : ["RS256"];
}

/**
 * Adds OpenID Connect sign-in to a RequestHandler class; settings `openidConnect: { issuer,
 * clientId, clientSecret, redirectUri }`. Beyond Tornado.
 *
 * @example
 * class Login extends OpenIdConnectMixin(RequestHandler) {
 *   async get() {
 *     if (this.getArgument("code", null)) {
 *       const { user } = await this.getAuthenticatedUser();
 *       this.setSignedCookie("user", JSON.stringify(user));
 *       this.redirect("/");
 *     } else await this.authorizeRedirect({ scope: ["openid", "email", "profile"] });
 *   }
 * }
 */
export function OpenIdConnectMixin<Base extends RequestHandlerBase>(base: Base): Base & typeof OpenIdConnectMembers {
  abstract class OpenIdConnectHandler extends base implements OpenIdConnectMembers {
    AUTH_FLOW_COOKIE = "_auth_flow";
    AUTH_FLOW_MAX_AGE = 600;

    getOpenIdConnectSettings(): OpenIdConnectSettings {
      return checkSettings(this.settings.openidConnect);
    }

    getProviderMetadata(): Promise<ProviderMetadata> {
      return discoverProvider(this.getAuthHttpClient(), this.getOpenIdConnectSettings());
    }

    async authorizeRedirect(options: OpenIdConnectAuthorizeOptions = {}): Promise<void> {
      const settings = this.getOpenIdConnectSettings();
      const metadata = await this.getProviderMetadata();
      const scope = new Set(["openid", ...(options.scope ?? settings.scope ?? [])]);
      const args: Array<[string, string]> = [
        ["response_type", "code"],
        ["client_id", settings.clientId],
        ["redirect_uri", options.redirectUri ?? settings.redirectUri],
        ["scope", [...scope].join(" ")],
      ];
      if (settings.maxAge !== undefined) args.push(["max_age", String(settings.maxAge)]);
      if (options.extraParams !== undefined) args.push(...Object.entries(options.extraParams));
      args.push(...startLoginFlow(this, { pkce: true, nonce: true, returnTo: options.returnTo, extraParams: options.extraParams }));
      return this.redirect(urlConcat(metadata.authorization_endpoint, args));
    }

    async getAuthenticatedUser(options: { redirectUri?: string } = {}): Promise<AuthLogin<OpenIdConnectUser>> {
      const settings = this.getOpenIdConnectSettings();
      const metadata = await this.getProviderMetadata();
      const { code, flow } = checkAuthorizationCallback(this, {
        flowCookie: flowCookieOf(this),
        issuer: metadata.issuer,
        issuerRequired: metadata.authorization_response_iss_parameter_supported === true,
      });
      const { nonce, codeVerifier } = flow!;
      if (nonce === undefined || codeVerifier === undefined) {
        throw new FlowCookieMissingError("the flow cookie is not an OpenID Connect login's (no nonce)", { step: "callback" });
      }
      const client = this.getAuthHttpClient();
      const response = await requestTokens(client, {
        url: metadata.token_endpoint,
        params: {
          grant_type: "authorization_code",
          code,
          redirect_uri: options.redirectUri ?? settings.redirectUri,
          code_verifier: codeVerifier,
        },
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        authMethod: authMethodOf(settings),
        step: "token",
      });
      const tokens = this.#checkTokenType(tokensFromResponse(response), "token");
      if (tokens.idToken === undefined) throw new TokenExchangeError("the token response has no id_token", { step: "token" });
      const claims = await this.#verify(settings, metadata, tokens.idToken, { nonce });
      tokens.idTokenClaims = claims;
      const user: OpenIdConnectUser = { ...claims };
      for (const name of PROTOCOL_CLAIMS) delete user[name];
      if (settings.fetchUserinfo !== false && metadata.userinfo_endpoint !== undefined) {
        const userinfo = await bearerRequest<AuthUser>(client, {
          url: metadata.userinfo_endpoint,
          accessToken: tokens.accessToken,
          tokenInQuery: false,
          step: "userinfo",
          ErrorClass: UserinfoError,
          what: "the userinfo request",
          expectObject: true,
        });
        if (userinfo.sub !== claims.sub) {
          throw new UserinfoError(`the userinfo sub ${JSON.stringify(userinfo.sub)} is not the id_token's ${JSON.stringify(claims.sub)}`, {
            step: "userinfo",
          });
        }
        Object.assign(user, userinfo);
      }
      return { user, tokens, ...(flow!.returnTo !== undefined ? { returnTo: flow!.returnTo } : {}) };
    }

    async refreshTokens(refreshToken: string, options: { scope?: string[]; subject?: string } = {}): Promise<AuthTokens> {
      const settings = this.getOpenIdConnectSettings();
      const metadata = await this.getProviderMetadata();
      const params: Record<string, string> = { grant_type: "refresh_token", refresh_token: refreshToken };
      if (options.scope !== undefined) params.scope = options.scope.join(" ");
      const response = await requestTokens(this.getAuthHttpClient(), {
        url: metadata.token_endpoint,
        params,
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        authMethod: authMethodOf(settings),
        step: "refresh",
      });
      const tokens = this.#checkTokenType(tokensFromResponse(response), "refresh");
      tokens.refreshToken ??= refreshToken;
      if (tokens.idToken !== undefined) tokens.idTokenClaims = await this.#verify(settings, metadata, tokens.idToken, { subject: options.subject });
      return tokens;
    }

    async getLogoutUrl(options: OpenIdConnectLogoutOptions = {}): Promise<string> {
      const settings = this.getOpenIdConnectSettings();
      const metadata = await this.getProviderMetadata();
      if (metadata.end_session_endpoint === undefined) {
        throw new DiscoveryError("the provider advertises no end_session_endpoint (RP-Initiated Logout)", { step: "discovery" });
      }
      const args: Array<[string, string]> = [["client_id", settings.clientId]];
      if (options.idTokenHint !== undefined) args.push(["id_token_hint", options.idTokenHint]);
      const postLogoutRedirectUri = options.postLogoutRedirectUri ?? settings.postLogoutRedirectUri;
      if (postLogoutRedirectUri !== undefined) args.push(["post_logout_redirect_uri", postLogoutRedirectUri]);
      if (options.state !== undefined) args.push(["state", options.state]);
      if (options.logoutHint !== undefined) args.push(["logout_hint", options.logoutHint]);
      return urlConcat(metadata.end_session_endpoint, args);
    }

    getAuthHttpClient(): AsyncHTTPClient {
      return defaultAuthHttpClient();
    }

    #checkTokenType(tokens: AuthTokens, step: "token" | "refresh"): AuthTokens {
      if (tokens.tokenType?.toLowerCase() !== "bearer") {
        throw new TokenExchangeError(`the token response's token_type is ${JSON.stringify(tokens.tokenType)}, not Bearer`, { step });
      }
      return tokens;
    }

    #verify(
      settings: OpenIdConnectSettings,
      metadata: ProviderMetadata,
      idToken: string,
      check: { nonce?: string; subject?: string },
    ): Promise<IDTokenClaims> {
      return verifyIdToken(idToken, remoteKeySet(this.getAuthHttpClient(), metadata.jwks_uri), {
        issuer: metadata.issuer,
        clientId: settings.clientId,
        algorithms: algorithmsOf(settings, metadata),
        clockTolerance: settings.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE,
        maxAge: check.nonce !== undefined ? settings.maxAge : undefined,
        ...check,
      });
    }
  }
  return OpenIdConnectHandler;
}
