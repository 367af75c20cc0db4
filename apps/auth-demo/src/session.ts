/**
 * The login, kept in one signed cookie: who the user is (the provider's claims), which
 * provider said so, and for OpenID Connect the id_token, which logout hands back to the
 * provider as `id_token_hint`. No server-side state: a cookie copied before logout stays
 * valid until it expires (SESSION_HOURS); apps/blog shows server-side sessions that end at
 * logout.
 */

/** The providers a login can come from. */
export type LoginProvider = "oidc" | "github" | "google";

export interface Session {
  provider: LoginProvider;
  /** The user's claims as the provider gave them (OpenID Connect: id_token identity claims and userinfo). */
  user: Record<string, unknown>;
  /** The OpenID Connect id_token, for RP-initiated logout; dropped when the cookie would be too large. */
  idToken?: string;
  /** Seconds since the epoch. */
  loginAt: number;
}

export const SESSION_COOKIE = "authdemo_session";

/** How long a login lasts, in hours: the cookie's expiry and the signature's maximum age. */
export const SESSION_HOURS = 8;

// Browsers keep cookies up to 4096 bytes (name, value and attributes); a signed value is
// base64 plus about 80 bytes of signature and fields.
const MAX_SESSION_JSON = 2800;

// What is worth keeping of a user when the provider's whole profile is too large.
const ESSENTIAL_CLAIMS = ["sub", "id", "login", "name", "preferred_username", "email", "email_verified", "picture", "avatar_url", "html_url", "locale"];

/**
 * The session as cookie JSON: without the id_token if it does not fit (logout then works
 * without the hint), and with only the essential claims if the profile alone is too large.
 */
export function sessionCookieValue(session: Session): string {
  let json = JSON.stringify(session);
  if (json.length <= MAX_SESSION_JSON) return json;
  const { idToken: _dropped, ...withoutToken } = session;
  json = JSON.stringify(withoutToken);
  if (json.length <= MAX_SESSION_JSON) return json;
  const user = Object.fromEntries(ESSENTIAL_CLAIMS.filter((name) => name in session.user).map((name) => [name, session.user[name]]));
  return JSON.stringify({ ...withoutToken, user });
}

/** The session a cookie's JSON holds, or null when it is not one (a cookie of an older shape). */
export function parseSession(json: string): Session | null {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  const session = value as Partial<Session> | null;
  if (typeof session !== "object" || session === null) return null;
  if (session.provider !== "oidc" && session.provider !== "github" && session.provider !== "google") return null;
  if (typeof session.user !== "object" || session.user === null || typeof session.loginAt !== "number") return null;
  return session as Session;
}

/** The name to greet the user by. */
export function displayName(user: Record<string, unknown>): string {
  for (const claim of ["name", "preferred_username", "login", "email", "sub"]) {
    const value = user[claim];
    if (typeof value === "string" && value !== "") return value;
  }
  return "you";
}
