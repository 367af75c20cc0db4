/**
 * Password hashing: argon2id (RFC 9106) through @node-rs/argon2, with its defaults (19 MiB,
 * two passes, one lane: OWASP's minimum), stored as the PHC string. Tornado's demo uses
 * bcrypt in an executor; @node-rs/argon2 hashes on libuv's thread pool, so the loop stays free.
 */

import { hash, verify } from "@node-rs/argon2";

/** An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`): the library's defaults. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// Hashed once, then verified against when no author has the email, so that an unknown
// email costs what a wrong password costs and the timing tells nothing apart.
let decoy: Promise<string> | undefined;

/**
 * True when `password` matches `hashed`. With `hashed` null (no such author) it still runs
 * one verification, against a decoy, and answers false.
 */
export async function checkPassword(password: string, hashed: string | null): Promise<boolean> {
  if (hashed === null) {
    decoy ??= hashPassword("decoy password, never a real one");
    await verify(await decoy, password);
    return false;
  }
  try {
    return await verify(hashed, password);
  } catch {
    return false; // a malformed stored hash is a refusal, not a 500
  }
}
