/**
 * ETag helpers for RequestHandler. Tornado: RequestHandler.compute_etag / check_etag_header.
 */

import * as crypto from "node:crypto";
import type { HTTPHeaders } from "@tornado/httputil";

const hashOnce = (crypto as { hash?: (algorithm: string, data: string | Buffer, encoding: "hex") => string }).hash;

// The last small text body and its ETag: a handler answering the same text again (a page,
// a health check, hello world) skips the digest. Same value either way.
const CACHE_MAX_LENGTH = 2048;
let lastBody = "";
let lastEtag = `"${crypto.createHash("sha1").update("").digest("hex")}"`;

/** `"<sha1 hex>"` of the parts, as Tornado's default compute_etag. */
export function sha1Etag(parts: readonly (string | Buffer)[]): string {
  if (parts.length === 1 && hashOnce !== undefined) {
    const part = parts[0];
    if (typeof part === "string" && part.length <= CACHE_MAX_LENGTH) {
      if (part === lastBody) return lastEtag;
      lastEtag = `"${hashOnce("sha1", part, "hex")}"`;
      lastBody = part;
      return lastEtag;
    }
    return `"${hashOnce("sha1", part, "hex")}"`;
  }
  if (parts.length === 0) return sha1Etag([""]);
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

/** Whether the request's If-None-Match matches the response's Etag header (false when either is absent). */
export function checkEtagHeaders(requestHeaders: HTTPHeaders, responseHeaders: HTTPHeaders): boolean {
  const ifNoneMatch = requestHeaders.get("If-None-Match");
  if (ifNoneMatch === undefined) return false;
  const computed = responseHeaders.get("Etag");
  if (!computed) return false;
  return etagMatches(ifNoneMatch, computed);
}
