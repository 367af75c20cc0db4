/**
 * What every blog handler shares (Tornado's demo: BaseHandler): the database, the current
 * author from the session cookie (an async getCurrentUser, awaited before prepare(); Tornado's
 * demo sets current_user in prepare() because get_current_user cannot be a coroutine there),
 * login and logout, the `next` redirect, and security headers.
 */

import { HTTPError, RequestHandler } from "@tornado/tornado";
import type { Database } from "../database";
import { endSession, sessionAuthor, startSession, SESSION_DAYS, type Author } from "../sessions";

export const SESSION_COOKIE = "blogdemo_session";

// No inline script or style anywhere in the templates, so the policy can forbid them: an
// injection that got past escaping still could not run.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: https:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export class BaseHandler extends RequestHandler {
  get db(): Database {
    return (this.application as unknown as { db: Database }).db;
  }

  override setDefaultHeaders(): void {
    this.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    this.setHeader("X-Content-Type-Options", "nosniff");
    this.setHeader("Referrer-Policy", "same-origin");
  }

  override async getCurrentUser(): Promise<Author | null> {
    const token = this.getSignedCookie(SESSION_COOKIE, undefined, { maxAgeDays: SESSION_DAYS });
    return token ? sessionAuthor(this.db, token) : null;
  }

  get author(): Author | null {
    return this.currentUser as Author | null;
  }

  async anyAuthorExists(): Promise<boolean> {
    return (await this.db.query("SELECT 1 FROM authors LIMIT 1")).length > 0;
  }

  /** Logs `author` in with a new session (the one the request came with, if any, ends). */
  async login(author: Author): Promise<void> {
    const previous = this.getSignedCookie(SESSION_COOKIE, undefined, { maxAgeDays: SESSION_DAYS });
    const token = await startSession(this.db, author.id, previous);
    this.setSignedCookie(SESSION_COOKIE, token, {
      expiresDays: SESSION_DAYS,
      httpOnly: true,
      sameSite: "Lax",
      secure: this.request.protocol === "https",
    });
    this.currentUser = author;
  }

  async logout(): Promise<void> {
    const token = this.getSignedCookie(SESSION_COOKIE, undefined, { maxAgeDays: SESSION_DAYS });
    if (token) await endSession(this.db, token);
    this.clearCookie(SESSION_COOKIE);
    this.currentUser = null;
  }

  /**
   * The `next` argument if it is a path on this site, else "/". Absolute and
   * scheme-relative URLs (`//host`, and `/\host`, which browsers read the same way) would be
   * an open redirect (CWE-601): 400, as in Tornado's demo.
   */
  nextPath(): string {
    const next = this.getArgument("next", "/")!;
    if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) throw new HTTPError(400, "next must be a path on this site");
    return next;
  }

  redirectToNext(): Promise<void> {
    return this.redirect(this.nextPath());
  }
}
