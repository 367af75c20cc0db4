/**
 * The provider's signing keys: jose's remote JWK Set (caching, refetch on an unknown `kid`
 * with a cooldown) fetching through the handler's AsyncHTTPClient rather than global fetch.
 * One key set per client and jwks_uri.
 */

import type { AsyncHTTPClient } from "@tornado/httpclient";
import type { JWTVerifyGetKey } from "jose";
import { jose } from "./jose";

const keySets = new WeakMap<AsyncHTTPClient, Map<string, JWTVerifyGetKey>>();

function fetchThrough(client: AsyncHTTPClient): (url: string, options: { headers: Headers }) => Promise<Response> {
  return async (url, options) => {
    // No answer rejects with HTTPClientError 599, which jose passes on unchanged.
    const response = await client.fetch(url, {
      headers: Object.fromEntries(options.headers.entries()),
      followRedirects: false,
      raiseError: false,
    });
    const headers = new Headers();
    for (const [name, value] of response.headers.getAll()) headers.append(name, value);
    return new Response(response.body.length > 0 ? response.body : null, { status: response.code, headers });
  };
}

/** jose's key lookup for `jwksUri`, fetching with `client`. */
export function remoteKeySet(client: AsyncHTTPClient, jwksUri: string): JWTVerifyGetKey {
  let byUri = keySets.get(client);
  if (byUri === undefined) {
    byUri = new Map();
    keySets.set(client, byUri);
  }
  let keySet = byUri.get(jwksUri);
  if (keySet === undefined) {
    const { createRemoteJWKSet, customFetch } = jose();
    keySet = createRemoteJWKSet(new URL(jwksUri), { [customFetch]: fetchThrough(client) });
    byUri.set(jwksUri, keySet);
  }
  return keySet;
}
