/**
 * The Application settings the auth mixins read, added to @tornado/web's ApplicationSettings
 * by declaration merging: importing @tornado/auth makes `googleOauth: { key: 1 }` a type error
 * and `this.settings.openidConnect` typed in every handler.
 */

/** A client registered with an OAuth 2.0 provider. Tornado: the `google_oauth` dict. */
export interface OAuth2ClientSettings {
  /** The client id. */
  key: string;
  /** The client secret. */
  secret: string;
  /** The callback URL registered with the provider; default: the current URL without its query. */
  redirectUri?: string;
}

/** The `openidConnect` setting: one OpenID Connect relying party. Beyond Tornado. */
export interface OpenIdConnectSettings {
  /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Absent for a public client (`tokenEndpointAuthMethod` "none"). */
  clientSecret?: string;
  /** The callback URL registered with the provider. */
  redirectUri: string;
  /** Default `["openid"]`; "openid" is added when missing. */
  scope?: string[];
  /** Default "client_secret_basic" with a secret, "none" without. */
  tokenEndpointAuthMethod?: "client_secret_basic" | "client_secret_post" | "none";
  /**
   * Algorithms accepted for the id_token signature. Default: the asymmetric algorithms the
   * provider advertises (`id_token_signing_alg_values_supported`), else ["RS256"].
   */
  idTokenSigningAlgorithms?: string[];
  /** Seconds of clock skew allowed on exp, iat and nbf; default 30. */
  clockTolerance?: number;
  /** Request `max_age` (seconds) and check `auth_time` against it. */
  maxAge?: number;
  /** Fetch the userinfo endpoint after the code exchange; default true when advertised. */
  fetchUserinfo?: boolean;
  /** Where RP-initiated logout returns to; must be registered with the provider. */
  postLogoutRedirectUri?: string;
  /** Seconds the discovery document is reused; default 3600. */
  discoveryCacheSeconds?: number;
  /** Allow http:// URLs on hosts other than loopback (tests behind a proxy). Default false. */
  allowInsecureRequests?: boolean;
}

declare module "@tornado/web" {
  interface ApplicationSettings {
    /** GoogleOAuth2Mixin's client. Tornado: google_oauth. */
    googleOauth?: OAuth2ClientSettings;
    /** GitHubOAuth2Mixin's client. Beyond Tornado. */
    githubOauth?: OAuth2ClientSettings;
    /** OpenIdConnectMixin's provider and client. Beyond Tornado. */
    openidConnect?: OpenIdConnectSettings;
    /** TwitterMixin's consumer key. Tornado: twitter_consumer_key. */
    twitterConsumerKey?: string;
    /** TwitterMixin's consumer secret. Tornado: twitter_consumer_secret. */
    twitterConsumerSecret?: string;
    /** The Facebook app id, read by applications (Tornado's demos: facebook_api_key). */
    facebookApiKey?: string;
    /** The Facebook app secret (Tornado's demos: facebook_secret). */
    facebookSecret?: string;
  }
}
