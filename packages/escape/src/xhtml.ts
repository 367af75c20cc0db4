/**
 * HTML/XML escaping. Tornado: escape.xhtml_escape, escape.xhtml_unescape.
 */

import { describeValue } from "@tornado/util";
import { EscapeTypeError } from "./errors";
import { NAME_TO_CODEPOINT } from "./html-entities";

const ESCAPE_TEST = /[&<>"']/;

/**
 * Escapes `& < > " '` as `&amp; &lt; &gt; &quot; &#x27;`, so the result is safe in HTML
 * text and in quoted attribute values. Buffers are decoded as UTF-8 first; numbers,
 * booleans and bigints are converted with String(); any other type throws EscapeTypeError.
 * Returns the input string itself when nothing needs escaping.
 * Tornado: escape.xhtml_escape (6.4+, which writes `'` as `&#x27;`).
 */
export function xhtmlEscape(value: string | Uint8Array | number | boolean | bigint): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value instanceof Uint8Array) text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else throw new EscapeTypeError(`xhtmlEscape expects a string or Buffer, got ${describeValue(value)}`);
  // One regex test decides the common case (nothing to escape) without allocating.
  if (!ESCAPE_TEST.test(text)) return text;
  let result = "";
  let last = 0;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    let replacement: string;
    switch (text.charCodeAt(index)) {
      case 38: replacement = "&amp;"; break;
      case 60: replacement = "&lt;"; break;
      case 62: replacement = "&gt;"; break;
      case 34: replacement = "&quot;"; break;
      case 39: replacement = "&#x27;"; break;
      default: continue;
    }
    if (last !== index) result += text.slice(last, index);
    result += replacement;
    last = index + 1;
  }
  return last === length ? result : result + text.slice(last);
}

// Windows-1252 meanings of the C1 range and the other code points HTML5 rewrites when they
// appear in a numeric reference (the same table as Python's html._invalid_charrefs).
const INVALID_CHARREFS: Readonly<Record<number, string>> = {
  0x00: "\ufffd", 0x0d: "\r", 0x80: "\u20ac", 0x81: "\x81", 0x82: "\u201a", 0x83: "\u0192",
  0x84: "\u201e", 0x85: "\u2026", 0x86: "\u2020", 0x87: "\u2021", 0x88: "\u02c6", 0x89: "\u2030",
  0x8a: "\u0160", 0x8b: "\u2039", 0x8c: "\u0152", 0x8d: "\x8d", 0x8e: "\u017d", 0x8f: "\x8f",
  0x90: "\x90", 0x91: "\u2018", 0x92: "\u2019", 0x93: "\u201c", 0x94: "\u201d", 0x95: "\u2022",
  0x96: "\u2013", 0x97: "\u2014", 0x98: "\u02dc", 0x99: "\u2122", 0x9a: "\u0161", 0x9b: "\u203a",
  0x9c: "\u0153", 0x9d: "\x9d", 0x9e: "\u017e", 0x9f: "\u0178",
};

/** Control characters and noncharacters that HTML5 drops from numeric references. */
function isDroppedCodePoint(codePoint: number): boolean {
  return (
    (codePoint >= 0x01 && codePoint <= 0x08) ||
    codePoint === 0x0b ||
    (codePoint >= 0x0e && codePoint <= 0x1f) ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    (codePoint >= 0xfdd0 && codePoint <= 0xfdef) ||
    (codePoint & 0xfffe) === 0xfffe
  );
}

// Numeric references follow HTML5 (the `;` is optional); named references must end in `;`.
const REFERENCE = /&(?:#([0-9]+);?|#[xX]([0-9a-fA-F]+);?|([A-Za-z][A-Za-z0-9]{0,31});)/g;

function replaceReference(match: string, decimal?: string, hex?: string, name?: string): string {
  if (name !== undefined) {
    const codePoint = NAME_TO_CODEPOINT[name];
    return codePoint === undefined ? match : String.fromCodePoint(codePoint);
  }
  const codePoint = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex!, 16);
  const rewritten = INVALID_CHARREFS[codePoint];
  if (rewritten !== undefined) return rewritten;
  if ((codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff || !Number.isFinite(codePoint)) {
    return "\ufffd";
  }
  if (isDroppedCodePoint(codePoint)) return "";
  return String.fromCodePoint(codePoint);
}

/**
 * Decodes HTML character references: the 252 HTML 4 named entities (`&eacute;`, which must
 * end in `;`) and decimal or hex numeric references (`&#32;`, `&#x20;`, `&#X20;`, decoded by
 * HTML5's rules: `&#0;` and surrogates give U+FFFD, 0x80-0x9F are read as Windows-1252).
 * Unknown names and malformed references (`&#xyz;`, `&#;`) are left as they are.
 * Buffers are decoded as UTF-8 first. Tornado: escape.xhtml_unescape.
 */
export function xhtmlUnescape(value: string | Uint8Array): string {
  let text: string;
  if (typeof value === "string") text = value;
  else if (value instanceof Uint8Array) text = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("utf8");
  else throw new EscapeTypeError(`xhtmlUnescape expects a string or Buffer, got ${describeValue(value)}`);
  if (text.indexOf("&") === -1) return text;
  return text.replace(REFERENCE, replaceReference);
}
