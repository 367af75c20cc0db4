/**
 * id_token verification (OpenID Connect Core §3.1.3.7): jose checks the signature against the
 * provider's keys with an allowed algorithm, and iss, aud, exp, iat, nbf within the clock
 * tolerance; then azp, nonce, auth_time against max_age, and (on refresh) the subject.
 */

import { HTTPClientError } from "@tornado/httpclient";
import type { JWTPayload, JWTVerifyGetKey } from "jose";
import { DiscoveryError, IDTokenInvalidError, ProviderUnreachableError } from "../errors";
import type { IDTokenClaims } from "./id-token-claims";
import { jose } from "./jose";

/** What an id_token must satisfy. */
export interface IDTokenCheck {
  issuer: string;
  clientId: string;
  /** JWS algorithms accepted. */
  algorithms: string[];
  /** Seconds of clock skew allowed. */
  clockTolerance: number;
  /** The flow's nonce; required and compared when given. */
  nonce?: string;
  /** Seconds since the user authenticated, at most (max_age); requires auth_time. */
  maxAge?: number;
  /** The subject the token must be about (a refresh keeps the user). */
  subject?: string;
}

/** jose's failures to get the key set, rather than to accept the token. */
const KEY_SET_FAILURES = new Set(["ERR_JOSE_GENERIC", "ERR_JWKS_INVALID", "ERR_JWKS_TIMEOUT"]);

function invalid(message: string, cause?: unknown): IDTokenInvalidError {
  return new IDTokenInvalidError(`the id_token ${message}`, { step: "idToken", cause });
}

async function verifySignatureAndTimes(idToken: string, keySet: JWTVerifyGetKey, check: IDTokenCheck): Promise<JWTPayload> {
  try {
    const { payload } = await jose().jwtVerify(idToken, keySet, {
      issuer: check.issuer,
      audience: check.clientId,
      algorithms: check.algorithms,
      clockTolerance: check.clockTolerance,
      requiredClaims: ["iss", "sub", "aud", "exp", "iat"],
    });
    return payload;
  } catch (error) {
    if (error instanceof HTTPClientError && error.code === 599) {
      throw new ProviderUnreachableError(`the JWKS request: no answer (${error.message})`, { step: "discovery", cause: error });
    }
    if (error instanceof jose().errors.JOSEError) {
      if (KEY_SET_FAILURES.has(error.code)) {
        throw new DiscoveryError(`the provider's JWKS is unusable: ${error.message}`, { step: "discovery", cause: error });
      }
      throw invalid(`is rejected: ${error.message}`, error);
    }
    throw error;
  }
}

/** Verifies `idToken`; resolves with its claims or throws IDTokenInvalidError saying why. */
export async function verifyIdToken(idToken: string, keySet: JWTVerifyGetKey, check: IDTokenCheck): Promise<IDTokenClaims> {
  const claims = await verifySignatureAndTimes(idToken, keySet, check);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.azp !== undefined ? claims.azp !== check.clientId : audiences.length > 1) {
    throw invalid(`azp ${JSON.stringify(claims.azp)} is not the client ${check.clientId}`);
  }
  if (check.nonce !== undefined && claims.nonce !== check.nonce) {
    throw invalid(claims.nonce === undefined ? "carries no nonce" : "nonce is not the one this login sent (a replayed token)");
  }
  if (check.maxAge !== undefined) {
    const authTime = claims.auth_time;
    if (typeof authTime !== "number") throw invalid("carries no auth_time, which max_age requires");
    if (authTime + check.maxAge + check.clockTolerance < Date.now() / 1000) {
      throw invalid(`auth_time is more than max_age (${check.maxAge} s) ago`);
    }
  }
  if (check.subject !== undefined && claims.sub !== check.subject) throw invalid("is about another subject than the login's");
  return claims as unknown as IDTokenClaims;
}
