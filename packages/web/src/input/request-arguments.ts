/**
 * Argument decoding for RequestHandler: values from the query or body as strings, the JSON
 * body, and Accept-Language parsing. Tornado: RequestHandler.get_argument and friends,
 * decode_argument, get_browser_locale.
 */

import type { HTTPServerRequest } from "@tornado/httpserver";
import { HTTPError, MissingArgumentError } from "../errors";

// Control characters replaced by a space in argument values (Tornado: _remove_control_chars_regex).
const CONTROL_CHARS = /[\x00-\x08\x0e-\x1f]/g;
const HAS_CONTROL_CHARS = /[\x00-\x08\x0e-\x1f]/;
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes one value (the handler's decodeArgument). */
export type ArgumentDecoder = (value: Buffer, name: string) => string | Buffer;

function isAscii(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] > 0x7f) return false;
  return true;
}

/**
 * Every value of `name` in `source`, decoded, control characters replaced by spaces, and
 * stripped unless `strip` is false. Tornado: RequestHandler._get_arguments.
 */
export function argumentValues(source: Record<string, Buffer[]>, name: string, strip: boolean, decode: ArgumentDecoder): string[] {
  const raw = source[name];
  if (raw === undefined) return [];
  const values: string[] = [];
  for (const bytes of raw) {
    let value = decode(bytes, name);
    if (typeof value === "string") {
      if (HAS_CONTROL_CHARS.test(value)) value = value.replace(CONTROL_CHARS, " ");
      if (strip) value = value.trim();
    }
    values.push(value as string);
  }
  return values;
}

/**
 * The last value of `name`; `rest` is the caller's `[defaultValue?, strip?]`: without a
 * default a missing argument is MissingArgumentError. Tornado: RequestHandler._get_argument.
 */
export function lastArgument(source: Record<string, Buffer[]>, name: string, rest: unknown[], decode: ArgumentDecoder): unknown {
  const strip = rest.length > 1 ? rest[1] !== false : true;
  const values = argumentValues(source, name, strip, decode);
  if (values.length === 0) {
    if (rest.length === 0) throw new MissingArgumentError(name);
    return rest[0];
  }
  return values[values.length - 1];
}

/** Strict UTF-8, else HTTPError(400 "Invalid unicode in {name}"). Tornado: decode_argument. */
export function decodeUtf8Argument(value: Buffer, name?: string): string {
  if (isAscii(value)) return value.toString("latin1");
  try {
    return STRICT_UTF8.decode(value);
  } catch {
    const shown = JSON.stringify(value.subarray(0, 40).toString("latin1"));
    throw new HTTPError(400, "Invalid unicode in %s: %s", name ?? "url", shown);
  }
}

/** The body parsed as JSON; 400 unless the Content-Type is JSON and the body parses. */
export function parseJsonBody(request: Pick<HTTPServerRequest, "headers" | "body">): unknown {
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!JSON_CONTENT_TYPE.test(contentType)) {
    throw new HTTPError(400, "Expected a JSON body (Content-Type application/json), got %s", contentType || "none");
  }
  try {
    return JSON.parse(request.body.toString("utf8"));
  } catch (error) {
    throw new HTTPError(400, "Malformed JSON body: %s", (error as Error).message);
  }
}

/**
 * The codes of an Accept-Language header, best first: q-values honoured, q=0 and
 * unparsable or negative q dropped. Tornado: get_browser_locale's parsing.
 */
export function acceptLanguageCodes(header: string): string[] {
  const scored: [string, number][] = [];
  for (const part of header.split(",")) {
    const pieces = part.split(";");
    const code = pieces[0].trim();
    let score = 1;
    if (pieces.length > 1 && pieces[1].trim().startsWith("q=")) {
      score = Number.parseFloat(pieces[1].trim().slice(2));
      if (!(score >= 0)) score = 0;
    }
    if (score > 0 && code) scored.push([code, score]);
  }
  scored.sort((a, b) => b[1] - a[1]);
  return scored.map(([code]) => code);
}
