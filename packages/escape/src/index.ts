/**
 * @tornado/escape: Tornado's escaping and string helpers (tornado.escape) for Node.js.
 * Depends only on @tornado/util; every other @tornado package builds on it.
 *
 * @example
 * ```ts
 * import { xhtmlEscape, urlEscape, jsonEncode, linkify } from "@tornado/escape";
 * xhtmlEscape(`<a href="x">'hi'</a>`); // "&lt;a href=&quot;x&quot;&gt;&#x27;hi&#x27;&lt;/a&gt;"
 * urlEscape("a b/c");                   // "a+b%2Fc"
 * jsonEncode({ html: "</script>" });    // '{"html":"<\/script>"}'
 * linkify("see www.example.com");       // 'see <a href="http://www.example.com">www.example.com</a>'
 * ```
 */
export { xhtmlEscape, xhtmlUnescape } from "./xhtml";
export { urlEscape, urlUnescape } from "./url";
export type { UrlUnescapeOptions } from "./url";
export { jsonEncode, jsonDecode } from "./json";
export { squeeze } from "./squeeze";
export { linkify } from "./linkify";
export type { LinkifyOptions } from "./linkify";
export { utf8, toUnicode, recursiveUnicode } from "./unicode";
export { NAME_TO_CODEPOINT } from "./html-entities";
export { EscapeTypeError, ESCAPE_ERROR_CODES } from "./errors";
