/**
 * Buffered request body parsing: application/x-www-form-urlencoded and multipart/form-data
 * (on MultipartReader, the one multipart parser). Limits come with each call.
 * Tornado: httputil.parse_body_arguments, parse_multipart_form_data.
 */

import { HTTPInputError, MultipartError } from "./errors";
import { HTTPFile } from "./http-file";
import type { HTTPHeaders } from "./http-headers";
import { multipartBoundary, MultipartReader, type MultipartPartHead } from "./multipart-reader";
import { resolveParseBodyConfig, type ParseBodyConfig } from "./parse-body-config";
import { appendValue as append, parseQsToArguments } from "./parse-qs-bytes";

/** The last argument of parseBodyArguments and parseMultipartFormData. */
export interface ParseBodyOptions {
  /** Limits; each one missing takes its default (DEFAULT_PARSE_BODY_CONFIG). */
  config?: ParseBodyConfig;
}

/**
 * Parses a multipart/form-data body into `args` (fields) and `files` (parts with a filename).
 * Malformed input throws MultipartError 400, a limit 413 (both HTTPInputErrors), and leaves
 * `args` and `files` untouched. A value is a view of `data`, not a copy.
 * Tornado: httputil.parse_multipart_form_data.
 * @param boundary the boundary parameter; a quoted boundary is unquoted.
 */
export function parseMultipartFormData(
  boundary: string | Buffer,
  data: Buffer,
  args: Record<string, Buffer[]>,
  files: Record<string, HTTPFile[]>,
  options?: ParseBodyOptions,
): void {
  const config = resolveParseBodyConfig(options?.config).multipart;
  if (!config.enabled) throw new MultipartError(400, "multipart/form-data parsing is disabled");
  const reader = new MultipartReader(typeof boundary === "string" ? boundary : boundary.toString("latin1"), config);
  reader.push(data);
  const parts: Array<[MultipartPartHead, Buffer]> = [];
  let head: MultipartPartHead | null = null;
  let chunks: Buffer[] = [];
  for (let event = reader.read(); event !== null; event = reader.read()) {
    if (event.type === "begin") {
      head = event.part;
      chunks = [];
    } else if (event.type === "data") {
      chunks.push(event.chunk);
    } else {
      parts.push([head!, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)]);
    }
  }
  reader.end();
  for (const [part, value] of parts) {
    if (part.filename !== null) append(files, part.name, new HTTPFile(part.filename, value, part.contentType));
    else append(args, part.name, value);
  }
}

/**
 * Parses a request body by its Content-Type into `args` and `files`: urlencoded (keys latin-1,
 * values Buffers, blank values kept, at most `config.urlencoded.maxArguments` fields) and
 * multipart/form-data; other types are ignored. Malformed or over-limit input throws an
 * HTTPInputError whose `statusCode` is the answer (400, or 413 for a limit).
 * Tornado: httputil.parse_body_arguments.
 */
export function parseBodyArguments(
  contentType: string,
  body: Buffer,
  args: Record<string, Buffer[]>,
  files: Record<string, HTTPFile[]>,
  headers?: HTTPHeaders | null,
  options?: ParseBodyOptions,
): void {
  const urlencoded = contentType.startsWith("application/x-www-form-urlencoded");
  if (!urlencoded && !contentType.startsWith("multipart/form-data")) return;
  if (headers && headers.has("Content-Encoding")) {
    throw new HTTPInputError(`Unsupported Content-Encoding: ${headers.get("Content-Encoding")}`);
  }
  if (urlencoded) {
    const { maxArguments } = resolveParseBodyConfig(options?.config).urlencoded;
    // Parsed apart and then merged, so that an over-limit body leaves `args` untouched.
    const parsed = parseQsToArguments(body, Object.create(null) as Record<string, Buffer[]>, { maxArguments, source: "body" });
    for (const name in parsed) for (const value of parsed[name]!) append(args, name, value);
  } else {
    parseMultipartFormData(multipartBoundary(contentType), body, args, files, options);
  }
}
