/**
 * `/auth/create` (the first author, only while none exists), `/auth/login`, `/auth/logout`.
 * Differences from Tornado's demo: argon2id instead of bcrypt; one answer for an unknown
 * email and a wrong password (the demo tells them apart, which lists who has an account);
 * the first author is created in a transaction that locks the table, so two racing requests
 * cannot both become "the first"; logging out is a POST with the XSRF token.
 */

import { HTTPError } from "@tornado/tornado";
import { fieldError, LIMITS } from "../form";
import { checkPassword, hashPassword } from "../passwords";
import type { Author } from "../sessions";
import { BaseHandler } from "./base-handler";

export const BAD_LOGIN = "Incorrect email or password.";

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AuthCreateHandler extends BaseHandler {
  async get(): Promise<void> {
    const next = this.nextPath();
    if (await this.anyAuthorExists()) return this.redirect(`/auth/login?next=${encodeURIComponent(next)}`);
    await this.render("create_author.html", { error: null, email: "", name: "", next, limits: LIMITS });
  }

  async post(): Promise<void> {
    const next = this.nextPath();
    const email = normalizeEmail(this.getArgument("email", "")!);
    const name = this.getArgument("name", "")!;
    const password = this.getArgument("password", "", false)!;
    let error = fieldError({ Email: [email, LIMITS.email], Name: [name, LIMITS.name], Password: [password, LIMITS.password] });
    if (!error && !/^[^\s@]+@[^\s@]+$/.test(email)) error = "Email must look like name@example.com.";
    if (!error && [...password].length < LIMITS.minPassword) error = `Password must have at least ${LIMITS.minPassword} characters.`;
    if (error) {
      this.setStatus(400);
      return this.render("create_author.html", { error, email, name, next, limits: LIMITS });
    }
    if (await this.anyAuthorExists()) throw new HTTPError(403, "author already created");
    const hashedPassword = await hashPassword(password);
    const author = await this.db.transaction(async (tx) => {
      // Only the first author may be created this way: take the table for the check and
      // the insert, so a concurrent request waits and then sees the author.
      await tx.query("LOCK TABLE authors IN EXCLUSIVE MODE");
      if ((await tx.query("SELECT 1 FROM authors LIMIT 1")).length > 0) return null;
      const rows = await tx.query<Author>(
        "INSERT INTO authors (email, name, hashed_password) VALUES ($1, $2, $3) RETURNING id, email, name",
        [email, name, hashedPassword],
      );
      return rows[0];
    });
    if (!author) throw new HTTPError(403, "author already created");
    await this.login(author);
    await this.redirect(next);
  }
}

export class AuthLoginHandler extends BaseHandler {
  async get(): Promise<void> {
    const next = this.nextPath();
    if (!(await this.anyAuthorExists())) return this.redirect(`/auth/create?next=${encodeURIComponent(next)}`);
    await this.render("login.html", { error: null, email: "", next });
  }

  async post(): Promise<void> {
    const next = this.nextPath();
    const email = normalizeEmail(this.getArgument("email", "")!);
    const password = this.getArgument("password", "", false)!;
    // Oversized input is refused like a wrong password, before any hashing work.
    const plausible = email.length <= LIMITS.email && password.length <= LIMITS.password;
    const rows = plausible
      ? await this.db.query<Author & { hashed_password: string }>("SELECT id, email, name, hashed_password FROM authors WHERE email = $1", [email])
      : [];
    const author = rows[0] ?? null;
    // checkPassword runs (against a decoy) even when no author has that email: same answer, same time.
    if (!plausible || !(await checkPassword(password, author?.hashed_password ?? null)) || author === null) {
      this.setStatus(403);
      return this.render("login.html", { error: BAD_LOGIN, email: plausible ? email : "", next });
    }
    await this.login({ id: author.id, email: author.email, name: author.name });
    await this.redirect(next);
  }
}

export class AuthLogoutHandler extends BaseHandler {
  /** A link to /auth/logout (as in Tornado's demo) asks to confirm: a GET cannot carry the XSRF token. */
  async get(): Promise<void> {
    await this.render("logout.html", { next: this.nextPath() });
  }

  async post(): Promise<void> {
    const next = this.nextPath();
    await this.logout();
    await this.redirect(next);
  }
}
