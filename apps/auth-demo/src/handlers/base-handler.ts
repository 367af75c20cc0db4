/**
 * What every page shares: the login from the signed session cookie, starting and ending it,
 * the canonical host (the provider sends the browser back to PUBLIC_URL, so the login must
 * start there for its flow cookie to come back), security headers, and the error page of a
 * failed login.
 */

import { AuthError, appLog, genLog, RequestHandler, type Application, type AsyncHTTPClient } from "@tornado/tornado";
import { authErrorAdvice, authErrorStatus } from "../auth-failure";
import { displayName, parseSession, SESSION_COOKIE, SESSION_HOURS, sessionCookieValue, type LoginProvider, type Session } from "../session";

const PROVIDER_NAMES: Record<LoginProvider, string> = { oidc: "OpenID Connect", github: "GitHub", google: "Google" };

// No inline script or style in any template, and nothing loaded from elsewhere. No
// form-action: the logout POST is answered with a redirect to the provider, which Chromium
// checks against form-action too.
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The parts of AuthDemoApplication a handler reads (app.ts implements it). */
export interface AuthDemoHost extends Application {
  /** The client the login handlers fetch from the providers with; closed when the demo stops. */
  readonly authClient: AsyncHTTPClient;
}

export class BaseHandler extends RequestHandler {
  /** Set when the answer is a failed login: the access log then says WARNING, not ERROR, for a 502. */
  authFailure: AuthError | null = null;

  get host(): AuthDemoHost {
    return this.application as AuthDemoHost;
  }

  override setDefaultHeaders(): void {
    this.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    this.setHeader("X-Content-Type-Options", "nosniff");
    this.setHeader("Referrer-Policy", "same-origin");
  }

  /** Tornado's names plus the demo's helpers: displayName(user), providerName(provider). */
  override getTemplateNamespace(): Record<string, unknown> {
    const namespace = super.getTemplateNamespace();
    namespace.displayName = displayName;
    namespace.providerName = (provider: LoginProvider) => PROVIDER_NAMES[provider];
    return namespace;
  }

  override getCurrentUser(): Session | null {
    const value = this.getSignedCookie(SESSION_COOKIE, undefined, { maxAgeDays: SESSION_HOURS / 24 });
    return value === null ? null : parseSession(value);
  }

  get session(): Session | null {
    return this.currentUser as Session | null;
  }

  /**
   * A page asked for at another host name than PUBLIC_URL's (localhost for 127.0.0.1) is
   * redirected there: cookies are per host name, and the provider returns to PUBLIC_URL only.
   */
  override prepare(): Promise<void> | void {
    const publicUrl = this.settings.publicUrl;
    if (publicUrl === undefined || (this.request.method !== "GET" && this.request.method !== "HEAD")) return;
    const origin = new URL(publicUrl);
    if (this.request.host.toLowerCase() !== origin.host.toLowerCase()) return this.redirect(`${origin.origin}${this.request.uri}`);
  }

  /** Logs `user` in: a new cookie replaces whatever session the browser came with. */
  startSession(provider: LoginProvider, user: Record<string, unknown>, idToken?: string): void {
    const session: Session = { provider, user, idToken, loginAt: Math.floor(Date.now() / 1000) };
    this.setSignedCookie(SESSION_COOKIE, sessionCookieValue(session), {
      expiresDays: SESSION_HOURS / 24,
      httpOnly: true,
      sameSite: "Lax",
      secure: this.request.protocol === "https",
    });
    this.currentUser = session;
  }

  endSession(): void {
    this.clearCookie(SESSION_COOKIE);
    this.currentUser = null;
  }

  /**
   * Answers a failed login with the error page (status by authErrorStatus, the AuthError's
   * code on it) and logs it at WARNING; anything that is not an AuthError is rethrown (a 500).
   */
  async showAuthFailure(error: unknown): Promise<void> {
    if (!(error instanceof AuthError)) throw error;
    const status = authErrorStatus(error as AuthError); // instanceof narrows to AuthError<any>
    this.authFailure = error;
    if (status === 500) appLog.error(`login impossible: ${error.message}`, error);
    else genLog.warning(`login failed, ${status} ${this._requestSummary()}: ${error.code}: ${error.message}`);
    this.clear();
    this.setStatus(status);
    await this.render("error.html", { error, status, advice: authErrorAdvice(error as AuthError) });
  }
}
