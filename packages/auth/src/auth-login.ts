/**
 * The one result every mixin can give, beside Tornado's own shapes: `{ user, tokens }`.
 */

/** A user as the provider describes them (userinfo claims, a Graph or GitHub profile). */
export type AuthUser = Record<string, unknown>;

/** The tokens of a login, named alike for every provider. */
export interface AuthTokens {
  /** The access token (OAuth 1.0a: the token key). */
  accessToken: string;
  /** `token_type`, e.g. "Bearer". */
  tokenType?: string;
  /** OAuth 1.0a: the token secret. */
  tokenSecret?: string;
  refreshToken?: string;
  /** The id_token as received (OpenID Connect). */
  idToken?: string;
  /** The verified claims of the id_token (OpenID Connect). */
  idTokenClaims?: Record<string, unknown>;
  /** Seconds the access token lives (`expires_in`), when the provider said. */
  expiresIn?: number;
  /** When the access token expires, seconds since the epoch. */
  expiresAt?: number;
  /** The granted scope, space-separated. */
  scope?: string;
  /** The provider's whole token response. */
  response: Record<string, unknown>;
}

/** A finished login. */
export interface AuthLogin<User extends AuthUser = AuthUser> {
  user: User;
  tokens: AuthTokens;
  /** The `returnTo` given to authorizeRedirect, a path on this site. */
  returnTo?: string;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** AuthTokens from an OAuth 2.0 token response (RFC 6749 §5.1) whose access_token was checked. */
export function tokensFromResponse(response: Record<string, unknown>): AuthTokens {
  const expires = Number(response.expires_in);
  const expiresIn = response.expires_in !== undefined && response.expires_in !== "" && Number.isFinite(expires) ? expires : undefined;
  const tokens: AuthTokens = { accessToken: response.access_token as string, response };
  const tokenType = optionalString(response.token_type);
  if (tokenType !== undefined) tokens.tokenType = tokenType;
  const refreshToken = optionalString(response.refresh_token);
  if (refreshToken !== undefined) tokens.refreshToken = refreshToken;
  const idToken = optionalString(response.id_token);
  if (idToken !== undefined) tokens.idToken = idToken;
  const scope = optionalString(response.scope);
  if (scope !== undefined) tokens.scope = scope;
  if (expiresIn !== undefined) {
    tokens.expiresIn = expiresIn;
    tokens.expiresAt = Math.floor(Date.now() / 1000) + expiresIn;
  }
  return tokens;
}
