/**
 * Turning URLs in plain text into links. Tornado: escape.linkify.
 */

import { describeValue } from "@tornado/util";
import { EscapeTypeError } from "./errors";
import { xhtmlEscape } from "./xhtml";

/** Options of linkify (Tornado's keyword arguments, camelCased). */
export interface LinkifyOptions {
  /** Clip long link texts to about 30 characters, with `...` and the full URL as title. Default false. */
  shorten?: boolean;
  /**
   * Extra attributes for every `<a>`, e.g. `'rel="nofollow"'`, or a function of the href
   * returning them. Trimmed and written after a space. Not escaped: pass safe markup. Default "".
   */
  extraParams?: string | ((href: string) => string);
  /** Only link URLs that have a protocol (skip bare `www.` links). Default false. */
  requireProtocol?: boolean;
  /** Protocols that may be linked. Default ["http", "https"]. */
  permittedProtocols?: readonly string[];
}

// Python's \w and \b are Unicode-aware in Tornado's regex, so both are spelled out here.
const WORD = String.raw`[\p{L}\p{N}_]`;
const WORD_BOUNDARY = String.raw`(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
// The scheme (group 2) with its slashes (group 3), or "www."; then runs of characters that
// are neither space, `&` nor parentheses (except the entities &amp; and &quot;) ending in a
// non-punctuation character, or balanced (...) groups. No nested quantifiers over the same
// text, so it does not backtrack badly on long runs of `(` or `.`.
const URL_PATTERN = new RegExp(
  WORD_BOUNDARY +
    String.raw`((?:([\p{L}\p{N}_\-]+):(\/{1,3})|www[.])(?:(?:(?:[^\s&()]|&amp;|&quot;)*(?:[^!"#$%&'()*+,.:;<=>?@\[\]^\x60{|}~\s]))|(?:\((?:[^\s&()]|&amp;|&quot;)*\)))+)`,
  "gu",
);

const MAX_LENGTH = 30;

/**
 * Escapes `text` as HTML (xhtmlEscape), then wraps each URL in an `<a href>`. URLs whose
 * protocol is not permitted are left as text; `www.` links without a protocol get an
 * `http://` href. Lengths in `shorten` are counted in code points, as Python does.
 * Tornado: escape.linkify.
 */
export function linkify(text: string | Uint8Array, options: LinkifyOptions = {}): string {
  const shorten = options.shorten ?? false;
  const requireProtocol = options.requireProtocol ?? false;
  const permitted = options.permittedProtocols ?? ["http", "https"];
  const extra = options.extraParams ?? "";
  if (typeof extra !== "string" && typeof extra !== "function") {
    throw new EscapeTypeError(`linkify extraParams must be a string or a function, got ${describeValue(extra)}`);
  }
  const fixedParams = typeof extra === "string" && extra !== "" ? " " + extra.trim() : "";

  const makeLink = (url: string, proto: string | undefined, slashes: string | undefined): string => {
    if (requireProtocol && !proto) return url;
    if (proto && !permitted.includes(proto)) return url;
    const href = proto ? url : "http://" + url;
    let params = typeof extra === "function" ? " " + String(extra(href)).trim() : fixedParams;
    let shown = url;
    const points = Array.from(url);
    if (shorten && points.length > MAX_LENGTH) {
      const protoLength = proto ? proto.length + 1 + (slashes ?? "").length : 0;
      let clipped = points;
      const parts = points.slice(protoLength).join("").split("/");
      if (parts.length > 1) {
        // The host plus the first bit of the path: the path says little once shortened.
        const start = points.slice(0, protoLength).join("");
        const firstBit = Array.from(parts[1]!).slice(0, 8).join("").split("?")[0]!.split(".")[0]!;
        clipped = Array.from(start + parts[0]! + "/" + firstBit);
      }
      if (clipped.length > MAX_LENGTH * 1.5) clipped = clipped.slice(0, MAX_LENGTH);
      const clippedText = clipped.join("");
      if (clippedText !== url) {
        let ampersand = -1;
        for (let index = clipped.length - 1; index >= 0; index--) {
          if (clipped[index] === "&") { ampersand = index; break; }
        }
        // Do not cut an entity such as &amp; in half.
        if (ampersand > MAX_LENGTH - 5) clipped = clipped.slice(0, ampersand);
        clipped.push("...");
        if (clipped.length - 1 + 3 >= points.length) {
          shown = url;
        } else {
          shown = clipped.join("");
          params += ` title="${href}"`;
        }
      }
    }
    return `<a href="${href}"${params}>${shown}</a>`;
  };

  const escaped = xhtmlEscape(text);
  return escaped.replace(URL_PATTERN, (_match, url: string, proto?: string, slashes?: string) =>
    makeLink(url, proto, slashes),
  );
}
