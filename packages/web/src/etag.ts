/**
 * ETag helpers for RequestHandler. Tornado: RequestHandler.compute_etag / check_etag_header.
 */

import * as crypto from "node:crypto";

const hashOnce = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: "hex") => string }).hash;

/** `"<sha1 hex>"` of the parts, as Tornado's default compute_etag. */
export function sha1Etag(parts: readonly (string | Buffer)[]): string {
  if (parts.length === 1 && hashOnce !== undefined) return `"${hashOnce("sha1", parts[0], "hex")}"`;
  const hasher = crypto.createHash("sha1");
  for (const part of parts) hasher.update(part);
  return `"${hasher.digest("hex")}"`;
}

const ETAG_PATTERN = /\*|(?:W\/)?"[^"]*"/g;

function stripWeak(tag: string): string {
  return tag.startsWith("W/") ? tag.slice(2) : tag;
}

/**
 * Whether an If-None-Match header matches the response's Etag: `*` matches anything,
 * otherwise weak comparison (W/ ignored). Tornado: RequestHandler.check_etag_header.
 */
export function etagMatches(ifNoneMatch: string, computed: string): boolean {
  const tags = ifNoneMatch.match(ETAG_PATTERN);
  if (tags === null) return false;
  if (tags[0] === "*") return true;
  const wanted = stripWeak(computed);
  for (const tag of tags) if (stripWeak(tag) === wanted) return true;
  return false;
}
