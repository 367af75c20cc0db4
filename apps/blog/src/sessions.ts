/**
 * Logins as server-side sessions behind a signed cookie. The cookie carries a random token;
 * the sessions table keeps its SHA-256 and the author. Logging in always makes a new token
 * (the session is rotated: a cookie planted before login is never upgraded to a logged-in
 * one), and logging out deletes the row, so a copied cookie dies with the session. Tornado's
 * demo signs the author id itself, which stays valid for 31 days whatever happens.
 */

import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "./database";

/** How long a session lasts, in days: the cookie's expiry and the server's check. */
export const SESSION_DAYS = 30;

export interface Author {
  id: number;
  email: string;
  name: string;
}

function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The author whose unexpired session `token` is, or null. */
export async function sessionAuthor(db: Queryable, token: string): Promise<Author | null> {
  const rows = await db.query<Author>(
    `SELECT authors.id, authors.email, authors.name FROM sessions JOIN authors ON authors.id = sessions.author_id
     WHERE sessions.token_hash = $1 AND sessions.created > now() - make_interval(days => $2)`,
    [tokenHash(token), SESSION_DAYS],
  );
  return rows[0] ?? null;
}

/** Starts a session for `authorId`, ending `previousToken`'s if there was one; resolves with the new token. */
export async function startSession(db: Queryable, authorId: number, previousToken: string | null): Promise<string> {
  if (previousToken !== null) await endSession(db, previousToken);
  const token = randomBytes(32).toString("base64url");
  await db.query("INSERT INTO sessions (token_hash, author_id, created) VALUES ($1, $2, now())", [tokenHash(token), authorId]);
  return token;
}

export async function endSession(db: Queryable, token: string): Promise<void> {
  await db.query("DELETE FROM sessions WHERE token_hash = $1", [tokenHash(token)]);
}
