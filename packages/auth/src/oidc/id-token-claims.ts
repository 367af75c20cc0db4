/**
 * The claims of a verified id_token, as getAuthenticatedUser returns them in `tokens.idTokenClaims`.
 */

/** The verified claims of an id_token (OpenID Connect Core §2). */
export interface IDTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  /** Seconds since the epoch. */
  exp: number;
  /** Seconds since the epoch. */
  iat: number;
  nbf?: number;
  nonce?: string;
  azp?: string;
  /** When the user authenticated, seconds since the epoch. */
  auth_time?: number;
  [claim: string]: unknown;
}
