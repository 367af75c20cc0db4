/**
 * 256-entry lookup tables for the characters of RFC 9110 / RFC 9112 productions, shared by the
 * parsers of this package and @tornado/httpserver's HTTP/1 parser (one array index per byte
 * instead of a regex).
 */

function table(predicate: (code: number) => boolean): Uint8Array {
  const result = new Uint8Array(256);
  for (let code = 0; code < 256; code++) result[code] = predicate(code) ? 1 : 0;
  return result;
}

const TCHAR_PUNCTUATION = "!#$%&'*+-.^_`|~";

/** RFC 9110 5.6.2 tchar: the characters of a token (method, header name). */
export const TOKEN_CHARS = table(
  (c) =>
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    TCHAR_PUNCTUATION.includes(String.fromCharCode(c)),
);

/** RFC 9110 5.5 field-value characters: HTAB, SP, VCHAR, obs-text. */
export const FIELD_VALUE_CHARS = table((c) => c === 0x09 || (c >= 0x20 && c !== 0x7f));

/**
 * RFC 9112 3.2 request-target characters (origin-form, absolute-form, authority-form,
 * asterisk-form are all made of VCHAR): 0x21..0x7E. obs-text is refused.
 */
export const TARGET_CHARS = table((c) => c >= 0x21 && c <= 0x7e);

/** RFC 3986 reg-name / IP-literal / port characters of a Host value (pct-encoded included). */
export const HOST_CHARS = table(
  (c) =>
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    "-._~!$&'()*+;=:[]%".includes(String.fromCharCode(c)),
);

/** Hexadecimal digits, mapped to their value + 1 (0 means "not a hex digit"). */
export const HEX_DIGIT_VALUES = (() => {
  const result = new Uint8Array(256);
  for (let i = 0; i < 10; i++) result[0x30 + i] = i + 1;
  for (let i = 0; i < 6; i++) {
    result[0x41 + i] = 11 + i;
    result[0x61 + i] = 11 + i;
  }
  return result;
})();

/** True when every UTF-16 unit of `text` is a token character (and `text` is not empty). */
export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || TOKEN_CHARS[c] === 0) return false;
  }
  return true;
}

/** True when every unit of `text` is allowed in a field value (code points above 0xFF are too). */
export function isFieldValue(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0xff && FIELD_VALUE_CHARS[c] === 0) return false;
  }
  return true;
}
