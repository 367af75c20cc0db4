/**
 * The limits of argument parsing: query strings, urlencoded and multipart bodies. Tornado keeps
 * them in one process-wide config (httputil.set_parse_body_config); here they are passed per
 * call, per request or per server (HTTPServerOptions.parseBodyConfig), never global.
 * Tornado: httputil.ParseBodyConfig, ParseMultipartConfig, ParseUrlencodedConfig.
 */

import { checkNonNegativeInteger } from "@tornado/util";

/** Limits on multipart/form-data parsing. Tornado: httputil.ParseMultipartConfig (6.5.5). */
export interface ParseMultipartConfig {
  /** Parse multipart bodies at all; default true. */
  enabled?: boolean;
  /** Most parts allowed in one body; default 100. More: MultipartError 413. */
  maxParts?: number;
  /** Bytes allowed in one part's header block; default 10240. More: MultipartError 413. */
  maxPartHeaderSize?: number;
}

/**
 * Limits on `application/x-www-form-urlencoded` bodies and query strings. Tornado 6.5.8+
 * (GHSA-mpf4-983q-p7j4 for bodies, GHSA-3hv7-mjh2-fv65 for query strings).
 */
export interface ParseUrlencodedConfig {
  /**
   * Most fields in one body or query string (every `&`-separated segment counts, as Python's
   * `max_num_fields`); default 1000, as Tornado and Node's `querystring` (`maxKeys`). More:
   * HTTPTooManyArgumentsError, 413 for a body, 414 for a query string. `Infinity` lifts it.
   */
  maxArguments?: number;
}

/** Tornado: httputil.ParseBodyConfig. */
export interface ParseBodyConfig {
  multipart?: ParseMultipartConfig;
  urlencoded?: ParseUrlencodedConfig;
}

/** A ParseBodyConfig with every limit filled in. */
export interface ResolvedParseBodyConfig {
  readonly multipart: Readonly<Required<ParseMultipartConfig>>;
  readonly urlencoded: Readonly<Required<ParseUrlencodedConfig>>;
}

/** The defaults: Tornado 6.5's. */
export const DEFAULT_PARSE_BODY_CONFIG: ResolvedParseBodyConfig = Object.freeze({
  multipart: Object.freeze({ enabled: true, maxParts: 100, maxPartHeaderSize: 10240 }),
  urlencoded: Object.freeze({ maxArguments: 1000 }),
});

// Configs made by resolveParseBodyConfig, handed back as they are.
const RESOLVED = new WeakSet<object>([DEFAULT_PARSE_BODY_CONFIG]);

function checkLimit(value: number, name: string, unit: string): void {
  if (value !== Infinity) checkNonNegativeInteger(value, name, unit);
}

/**
 * Fills in the defaults and checks the limits (non-negative integers; `maxArguments` may be
 * Infinity). An already resolved config is returned as it is.
 */
export function resolveParseBodyConfig(config?: ParseBodyConfig | null): ResolvedParseBodyConfig {
  if (config === undefined || config === null || config === DEFAULT_PARSE_BODY_CONFIG) return DEFAULT_PARSE_BODY_CONFIG;
  if (RESOLVED.has(config)) return config as ResolvedParseBodyConfig;
  const multipart = { ...DEFAULT_PARSE_BODY_CONFIG.multipart, ...config.multipart };
  const urlencoded = { ...DEFAULT_PARSE_BODY_CONFIG.urlencoded, ...config.urlencoded };
  checkNonNegativeInteger(multipart.maxParts, "multipart.maxParts", "parts");
  checkNonNegativeInteger(multipart.maxPartHeaderSize, "multipart.maxPartHeaderSize", "bytes");
  checkLimit(urlencoded.maxArguments, "urlencoded.maxArguments", "fields");
  const resolved: ResolvedParseBodyConfig = Object.freeze({ multipart: Object.freeze(multipart), urlencoded: Object.freeze(urlencoded) });
  RESOLVED.add(resolved);
  return resolved;
}
