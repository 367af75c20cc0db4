/**
 * OpenID Connect Discovery 1.0: the provider's metadata from
 * `<issuer>/.well-known/openid-configuration`, checked (its `issuer` must be the configured
 * one, exactly, §4.3; endpoints https) and reused for `discoveryCacheSeconds`, per client.
 */

import { performance } from "node:perf_hooks";
import type { AsyncHTTPClient } from "@tornado/httpclient";
import { AuthConfigError, DiscoveryError, type AuthErrorDetails } from "../errors";
import { fetchFromProvider, providerJson } from "../provider-response";
import type { OpenIdConnectSettings } from "../settings";

/** The provider metadata the relying party uses (OpenID Connect Discovery §3, RFC 8414). */
export interface ProviderMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint?: string;
  end_session_endpoint?: string;
  /** RFC 9207: the callback carries `iss`. */
  authorization_response_iss_parameter_supported?: boolean;
  id_token_signing_alg_values_supported?: string[];
  code_challenge_methods_supported?: string[];
  [name: string]: unknown;
}

interface CacheEntry {
  expiresAt: number;
  metadata: Promise<ProviderMetadata>;
}

const caches = new WeakMap<AsyncHTTPClient, Map<string, CacheEntry>>();
const DEFAULT_CACHE_SECONDS = 3600;

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * `url` as a provider URL: absolute, https (or http on a loopback host, or anywhere with
 * allowInsecureRequests). Throws ErrorClass naming `what` otherwise.
 */
export function checkProviderUrl(
  url: unknown,
  allowInsecure: boolean,
  what: string,
  ErrorClass: new (message: string, details?: AuthErrorDetails) => Error,
): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new ErrorClass(`${what} must be an absolute http(s) URL, got ${JSON.stringify(url)}`, { step: "discovery" });
  }
  if (parsed.protocol === "http:" && !allowInsecure && !isLoopback(parsed.hostname)) {
    throw new ErrorClass(`${what} must use https (http only on loopback or with allowInsecureRequests), got ${url as string}`, {
      step: "discovery",
    });
  }
  return url as string;
}

async function fetchMetadata(client: AsyncHTTPClient, settings: OpenIdConnectSettings): Promise<ProviderMetadata> {
  const allowInsecure = settings.allowInsecureRequests === true;
  const issuer = checkProviderUrl(settings.issuer, allowInsecure, "the openidConnect.issuer setting", AuthConfigError);
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const what = "the discovery request";
  const response = await fetchFromProvider(client, url, { followRedirects: false }, "discovery", what);
  const metadata = providerJson(response, "discovery", DiscoveryError, what) as Partial<ProviderMetadata>;
  if (metadata.issuer !== issuer) {
    throw new DiscoveryError(
      `the provider at ${url} says its issuer is ${JSON.stringify(metadata.issuer)}, not ${JSON.stringify(issuer)} (OpenID Connect Discovery §4.3)`,
      { step: "discovery" },
    );
  }
  for (const name of ["authorization_endpoint", "token_endpoint", "jwks_uri"] as const) {
    checkProviderUrl(metadata[name], allowInsecure, `the provider's ${name}`, DiscoveryError);
  }
  for (const name of ["userinfo_endpoint", "end_session_endpoint"] as const) {
    if (metadata[name] !== undefined) checkProviderUrl(metadata[name], allowInsecure, `the provider's ${name}`, DiscoveryError);
  }
  const methods = metadata.code_challenge_methods_supported;
  if (Array.isArray(methods) && !methods.includes("S256")) {
    throw new DiscoveryError(`the provider does not support PKCE S256 (code_challenge_methods_supported: ${methods.join(", ")})`, {
      step: "discovery",
    });
  }
  return metadata as ProviderMetadata;
}

/** The provider's metadata, fetched once per `discoveryCacheSeconds` (default 3600) and client. */
export function discoverProvider(client: AsyncHTTPClient, settings: OpenIdConnectSettings): Promise<ProviderMetadata> {
  let cache = caches.get(client);
  if (cache === undefined) {
    cache = new Map();
    caches.set(client, cache);
  }
  const now = performance.now();
  const cached = cache.get(settings.issuer);
  if (cached !== undefined && cached.expiresAt > now) return cached.metadata;
  const entry: CacheEntry = {
    expiresAt: now + (settings.discoveryCacheSeconds ?? DEFAULT_CACHE_SECONDS) * 1000,
    metadata: fetchMetadata(client, settings),
  };
  cache.set(settings.issuer, entry);
  // A failed discovery is not remembered: the next login asks again.
  entry.metadata.catch(() => {
    if (cache.get(settings.issuer) === entry) cache.delete(settings.issuer);
  });
  return entry.metadata;
}
