/**
 * The mixins' types: a mixin's class keeps the API of the RequestHandler class it extends
 * (RequestHandler or the user's own subclass) and adds its own; misuse fails to compile.
 * The `@ts-expect-error` lines are checked by `tsc -p tsconfig.test.json` (the typecheck
 * task): each must be an error, or the typecheck fails. The `it`s check the same at run time.
 */

import { Application, RequestHandler } from "@tornado/web";
import {
  GitHubOAuth2Mixin,
  GoogleOAuth2Mixin,
  OAuth2Mixin,
  OAuthMixin,
  OpenIdConnectMixin,
  type OAuthToken,
  type TwitterMembers,
} from "@tornado/auth";

/** A base class of the user's, with its own method and static. */
class BaseHandler extends RequestHandler {
  static override SUPPORTED_METHODS = ["GET", "POST"];

  helper(): string {
    return "from the user's base";
  }
}

class GoogleLogin extends GoogleOAuth2Mixin(BaseHandler) {
  override async get(): Promise<void> {
    this.write(this.helper());
    if (this.getArgument("code", null) !== null) {
      const { user } = await this.getAuthenticatedLogin();
      this.setSignedCookie("user", JSON.stringify(user));
    } else {
      await this.authorizeRedirect({ scope: ["email"] });
    }
  }
}

class OidcLogin extends OpenIdConnectMixin(RequestHandler) {
  override async get(): Promise<void> {
    const { user, tokens } = await this.getAuthenticatedUser();
    const subject: string = user.sub;
    const idToken: string | undefined = tokens.idToken;
    this.write({ subject, idToken: idToken ?? null });
  }
}

class MyOAuth1 extends OAuthMixin(RequestHandler) {
  OAUTH_REQUEST_TOKEN_URL = "https://example.com/request";
  OAUTH_ACCESS_TOKEN_URL = "https://example.com/access";
  OAUTH_AUTHORIZE_URL = "https://example.com/authorize";

  oauthConsumerToken(): OAuthToken {
    return { key: "k", secret: "s" };
  }

  async oauthGetUserFuture(accessToken: OAuthToken): Promise<Record<string, unknown>> {
    return { id: accessToken.key };
  }
}

// Compile-time checks: never called, only type-checked.
export function typeChecks(google: GoogleLogin, oidc: OidcLogin, twitter: TwitterMembers): void {
  // RequestHandler's API, the user's base class's and the mixin's, all on one `this`.
  const fromBase: string = google.helper();
  const argument: string | null = google.getArgument("x", null);
  const userinfoUrl: string = google.OAUTH_USERINFO_URL;
  void [fromBase, argument, userinfoUrl];
  // @ts-expect-error scope is a list of strings
  void google.authorizeRedirect({ scope: "email" });
  // @ts-expect-error Google's getAuthenticatedUser takes Tornado's redirectUri and code
  void google.getAuthenticatedUser({});
  // @ts-expect-error neither RequestHandler nor the mixin has it
  google.notAMethod();
  // @ts-expect-error OpenIdConnectMixin has no Google settings
  oidc.getGoogleOauthSettings();
  // @ts-expect-error twitterRequest takes an OAuth token pair, not a string
  void twitter.twitterRequest("/statuses/home_timeline", "token");
}

// @ts-expect-error a mixin takes a RequestHandler class
OAuth2Mixin(class NotAHandler {});

// @ts-expect-error OAuth2Mixin leaves its endpoints to the subclass
export class NoEndpoints extends OAuth2Mixin(RequestHandler) {}

// @ts-expect-error OAuthMixin leaves oauthConsumerToken and oauthGetUserFuture to the subclass
export class NoConsumer extends OAuthMixin(RequestHandler) {
  OAUTH_REQUEST_TOKEN_URL = "";
  OAUTH_ACCESS_TOKEN_URL = "";
  OAUTH_AUTHORIZE_URL = "";
}

// The settings auth reads are typed on @tornado/web's ApplicationSettings (declaration merging).
export const settingsChecks = [
  new Application([["/login", GoogleLogin]], { cookieSecret: "s", googleOauth: { key: "id", secret: "secret" } }),
  // @ts-expect-error googleOauth needs its secret
  new Application([], { googleOauth: { key: "id" } }),
  // @ts-expect-error the issuer is a URL string
  new Application([], { openidConnect: { issuer: 1, clientId: "c", redirectUri: "r" } }),
  // @ts-expect-error tokenEndpointAuthMethod is one of three
  new Application([], { openidConnect: { issuer: "i", clientId: "c", redirectUri: "r", tokenEndpointAuthMethod: "private_key_jwt" } }),
  // @ts-expect-error twitterConsumerKey is a string
  new Application([], { twitterConsumerKey: 42 }),
];

describe("mixins over RequestHandler", () => {
  it("keep the base class's methods and statics and add their own", () => {
    expect(GoogleLogin.prototype).toBeInstanceOf(BaseHandler);
    expect(GoogleLogin.prototype).toBeInstanceOf(RequestHandler);
    expect(GoogleLogin.SUPPORTED_METHODS).toEqual(["GET", "POST"]);
    expect(typeof GoogleLogin.prototype.helper).toBe("function");
    expect(typeof GoogleLogin.prototype.authorizeRedirect).toBe("function");
    expect(typeof GoogleLogin.prototype.getGoogleOauthSettings).toBe("function");
    expect(typeof GitHubOAuth2Mixin(BaseHandler).prototype.githubRequest).toBe("function");
  });

  it("build a class per base: two bases, two classes, neither touching the other", () => {
    expect(GoogleOAuth2Mixin(RequestHandler)).not.toBe(GoogleOAuth2Mixin(RequestHandler));
    expect(RequestHandler.prototype).not.toHaveProperty("authorizeRedirect");
    expect(BaseHandler.prototype).not.toHaveProperty("authorizeRedirect");
  });

  it("serve as route targets", () => {
    expect(() => new Application([["/google", GoogleLogin], ["/oidc", OidcLogin], ["/oauth1", MyOAuth1]])).not.toThrow();
  });
});
