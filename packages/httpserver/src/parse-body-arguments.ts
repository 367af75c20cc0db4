/**
 * Request body parsing: application/x-www-form-urlencoded and multipart/form-data.
 * Tornado: httputil.parse_body_arguments, parse_multipart_form_data, ParseMultipartConfig.
 */

import { HTTPInputError } from "./errors";
import { HTTPFile } from "./http-file";
import { HTTPHeaders } from "./http-headers";
import { parseHeaderParameters } from "./header-parameters";
import { parseQsToArguments } from "./parse-qs-bytes";

/** Limits on multipart parsing. Tornado: httputil.ParseMultipartConfig (6.5.5). */
export interface ParseMultipartConfig {
  /** Parse multipart bodies at all; default true. */
  enabled?: boolean;
  /** Most parts allowed in one body; default 100. */
  maxParts?: number;
  /** Bytes allowed in one part's header block; default 10240. */
  maxPartHeaderSize?: number;
}

/** Tornado: httputil.ParseBodyConfig. */
export interface ParseBodyConfig {
  multipart?: ParseMultipartConfig;
}

const DEFAULT_MULTIPART: Required<ParseMultipartConfig> = { enabled: true, maxParts: 100, maxPartHeaderSize: 10240 };
let globalConfig: Required<ParseMultipartConfig> = { ...DEFAULT_MULTIPART };

/** Sets the process-wide default body parsing limits. Tornado: httputil.set_parse_body_config. */
export function setParseBodyConfig(config: ParseBodyConfig): void {
  globalConfig = { ...DEFAULT_MULTIPART, ...(config.multipart ?? {}) };
}

function resolveConfig(config?: ParseBodyConfig): Required<ParseMultipartConfig> {
  return config?.multipart ? { ...globalConfig, ...config.multipart } : globalConfig;
}

function push<T>(into: Record<string, T[]>, name: string, value: T): void {
  const list = into[name];
  if (list === undefined) into[name] = [value];
  else list.push(value);
}

/**
 * Parses a multipart/form-data body into `args` (fields) and `files` (parts with a filename).
 * Malformed input throws HTTPInputError. Tornado: httputil.parse_multipart_form_data.
 * @param boundary the boundary parameter; a quoted boundary is unquoted.
 */
export function parseMultipartFormData(
  boundary: string | Buffer,
  data: Buffer,
  args: Record<string, Buffer[]>,
  files: Record<string, HTTPFile[]>,
  options?: { config?: ParseBodyConfig },
): void {
  const config = resolveConfig(options?.config);
  if (!config.enabled) throw new HTTPInputError("multipart/form-data parsing is disabled");
  let boundaryText = typeof boundary === "string" ? boundary : boundary.toString("utf8");
  if (boundaryText.length >= 2 && boundaryText.startsWith('"') && boundaryText.endsWith('"')) {
    boundaryText = boundaryText.slice(1, -1);
  }
  const finalIndex = data.lastIndexOf(`--${boundaryText}--`);
  if (finalIndex < 0) throw new HTTPInputError("Invalid multipart/form-data: no final boundary");
  const separator = Buffer.from(`--${boundaryText}\r\n`);
  const parts: Buffer[] = [];
  let start = 0;
  for (;;) {
    const next = data.indexOf(separator, start);
    if (next < 0 || next + separator.length > finalIndex) {
      parts.push(data.subarray(start, finalIndex));
      break;
    }
    parts.push(data.subarray(start, next));
    start = next + separator.length;
    if (parts.length > config.maxParts) break;
  }
  if (parts.length > config.maxParts) throw new HTTPInputError("multipart/form-data has too many parts");
  for (const part of parts) {
    if (part.length === 0) continue;
    const endOfHeaders = part.indexOf("\r\n\r\n");
    if (endOfHeaders < 0) throw new HTTPInputError("multipart/form-data missing headers");
    if (endOfHeaders > config.maxPartHeaderSize) {
      throw new HTTPInputError("multipart/form-data part header too large");
    }
    const headers = HTTPHeaders.parse(part.subarray(0, endOfHeaders).toString("utf8"));
    const [disposition, params] = parseHeaderParameters(headers.get("Content-Disposition") ?? "");
    if (disposition !== "form-data" || part[part.length - 2] !== 0x0d || part[part.length - 1] !== 0x0a) {
      throw new HTTPInputError("Invalid multipart/form-data");
    }
    const value = part.subarray(endOfHeaders + 4, Math.max(endOfHeaders + 4, part.length - 2));
    const name = params["name"];
    if (!name) throw new HTTPInputError("multipart/form-data value missing name");
    const filename = params["filename"];
    if (filename) {
      push(files, name, new HTTPFile(filename, value, headers.get("Content-Type") ?? "application/unknown"));
    } else {
      push(args, name, value);
    }
  }
}

/**
 * Parses a request body by its Content-Type into `args` and `files`: urlencoded (keys latin-1,
 * values Buffers, blank values kept) and multipart/form-data; other types are ignored.
 * Malformed input throws HTTPInputError (Tornado 6.5; the server logs it and skips the body,
 * web answers 400 "Invalid body").
 * Tornado: httputil.parse_body_arguments.
 */
export function parseBodyArguments(
  contentType: string,
  body: Buffer,
  args: Record<string, Buffer[]>,
  files: Record<string, HTTPFile[]>,
  headers?: HTTPHeaders | null,
  options?: { config?: ParseBodyConfig },
): void {
  if (contentType.startsWith("application/x-www-form-urlencoded")) {
    if (headers && headers.has("Content-Encoding")) {
      throw new HTTPInputError(`Unsupported Content-Encoding: ${headers.get("Content-Encoding")}`);
    }
    parseQsToArguments(body.toString("latin1"), args);
  } else if (contentType.startsWith("multipart/form-data")) {
    if (headers && headers.has("Content-Encoding")) {
      throw new HTTPInputError(`Unsupported Content-Encoding: ${headers.get("Content-Encoding")}`);
    }
    const fields = contentType.split(";");
    if (fields[0]!.trim() !== "multipart/form-data") throw new HTTPInputError("Invalid content type");
    for (const field of fields) {
      const trimmed = field.trim();
      const eq = trimmed.indexOf("=");
      if (eq >= 0 && trimmed.slice(0, eq) === "boundary" && eq + 1 < trimmed.length) {
        parseMultipartFormData(trimmed.slice(eq + 1), body, args, files, options);
        return;
      }
    }
    throw new HTTPInputError("multipart boundary not found");
  }
}
