/**
 * OAuth 1.0 request signing with HMAC-SHA1, exactly as RFC 5849 §3.4 specifies it: the
 * signature base string of method, base string URI and normalized parameters (those of the
 * URL's query included, names and values percent-encoded by §3.6, sorted by name then value,
 * repeated names kept). Tornado: auth._oauth_signature and auth._oauth10a_signature (which
 * leave names unencoded and drop the URL's query; the two agree on every request Tornado makes).
 */

import { createHmac } from "node:crypto";
import { parseQsBytes } from "@tornado/httputil";

/** A token or client credential pair; OAuth 1.0a access tokens carry the provider's extra fields. */
export interface OAuthToken {
  key: string;
  secret: string;
  [field: string]: string;
}

/** Request parameters: an object, or pairs when a name repeats. */
export type OAuthParameters = Record<string, string> | ReadonlyArray<readonly [string, string]>;

/** "1.0a" (the default) or "1.0", which signs with the secrets unencoded. Tornado: _OAUTH_VERSION. */
export type OAuthVersion = "1.0" | "1.0a";

const RESERVED = /[!'()*]/g;

/** RFC 5849 §3.6: UTF-8, then every byte but ALPHA, DIGIT, "-", ".", "_", "~" as %XX. */
export function oauthEscape(value: string): string {
  return encodeURIComponent(value).replace(RESERVED, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** RFC 5849 §3.4.1.2: scheme and host lowercase, default port dropped, no query or fragment. */
export function oauthBaseStringUri(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function pairsOf(parameters: OAuthParameters): Array<readonly [string, string]> {
  return Array.isArray(parameters)
    ? [...(parameters as ReadonlyArray<readonly [string, string]>)]
    : Object.entries(parameters as Record<string, string>);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** RFC 5849 §3.4.1.1: `METHOD&enc(base string URI)&enc(normalized parameters)`. */
export function oauthSignatureBaseString(method: string, url: string, parameters: OAuthParameters): string {
  const query = new URL(url).search.slice(1);
  const collected: Array<readonly [string, string]> = parseQsBytes(query).map(([name, value]) => [
    Buffer.from(name, "latin1").toString("utf8"),
    value.toString("utf8"),
  ]);
  collected.push(...pairsOf(parameters));
  const normalized = collected
    .map(([name, value]) => [oauthEscape(name), oauthEscape(value)] as const)
    .sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
  return `${method.toUpperCase()}&${oauthEscape(oauthBaseStringUri(url))}&${oauthEscape(normalized)}`;
}

/**
 * The HMAC-SHA1 `oauth_signature` (base64) of a request, RFC 5849 §3.4.2. `parameters` are
 * the oauth_* protocol parameters (without oauth_signature) and the request's own.
 * Tornado: auth._oauth10a_signature (version "1.0a") and auth._oauth_signature ("1.0").
 */
export function oauthSignature(
  consumerToken: Pick<OAuthToken, "secret">,
  method: string,
  url: string,
  parameters: OAuthParameters,
  token?: Pick<OAuthToken, "secret"> | null,
  version: OAuthVersion = "1.0a",
): string {
  const encode = version === "1.0a" ? oauthEscape : (value: string) => value;
  const key = `${encode(consumerToken.secret)}&${token ? encode(token.secret) : ""}`;
  return createHmac("sha1", key).update(oauthSignatureBaseString(method, url, parameters)).digest("base64");
}
