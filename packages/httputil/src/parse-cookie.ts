/**
 * Cookie header parsing, as Tornado's httputil.parse_cookie (Django's algorithm) with Python's
 * http.cookies unquoting (§2.4 of the reference).
 */

/**
 * Undoes Python's cookie quoting: only a value wrapped in `"..."` is unquoted; inside it `\ooo`
 * (octal 000-377) gives that character and `\X` gives X. Tornado: http.cookies._unquote.
 */
export function unquoteCookieValue(value: string): string {
  if (value.length < 2 || value.charCodeAt(0) !== 0x22 || value.charCodeAt(value.length - 1) !== 0x22) {
    return value;
  }
  const inner = value.slice(1, -1);
  let out = "";
  let i = 0;
  const length = inner.length;
  while (i < length) {
    const backslash = inner.indexOf("\\", i);
    if (backslash < 0) {
      out += inner.slice(i);
      break;
    }
    out += inner.slice(i, backslash);
    const a = inner.charCodeAt(backslash + 1);
    const b = inner.charCodeAt(backslash + 2);
    const c = inner.charCodeAt(backslash + 3);
    if (a >= 0x30 && a <= 0x33 && b >= 0x30 && b <= 0x37 && c >= 0x30 && c <= 0x37) {
      out += String.fromCharCode((a - 0x30) * 64 + (b - 0x30) * 8 + (c - 0x30));
      i = backslash + 4;
    } else if (backslash + 1 < length) {
      out += inner[backslash + 1];
      i = backslash + 2;
    } else {
      // A trailing lone backslash: Python's regex finds no escape and keeps it.
      out += "\\";
      i = backslash + 1;
    }
  }
  return out;
}

/**
 * Parses a `Cookie` header into name -> value (the last duplicate wins). Splits on every `;`,
 * even inside quotes, then on the first `=`; a chunk with no `=` has the name `""`.
 * Tornado: httputil.parse_cookie.
 */
export function parseCookie(header: string): Record<string, string> {
  const cookies = Object.create(null) as Record<string, string>;
  for (const chunk of header.split(";")) {
    const eq = chunk.indexOf("=");
    let key: string;
    let value: string;
    if (eq >= 0) {
      key = chunk.slice(0, eq);
      value = chunk.slice(eq + 1);
    } else {
      key = "";
      value = chunk;
    }
    key = key.trim();
    value = value.trim();
    if (key || value) cookies[key] = unquoteCookieValue(value);
  }
  return cookies;
}

// Python's http.cookies legal key characters (`_LegalChars`): keys outside this set are
// dropped by SimpleCookie, which HTTPServerRequest.cookies mirrors.
const LEGAL_KEY = /^[A-Za-z0-9!#$%&'*+\-.^_`|~:]+$/;

/** Python's SimpleCookie reserved attribute names; SimpleCookie refuses them as cookie names. */
const RESERVED = new Set(["expires", "path", "comment", "domain", "max-age", "secure", "httponly", "version", "samesite"]);

/**
 * The cookies of a `Cookie` header as HTTPServerRequest.cookies exposes them: parseCookie, then
 * names that Python's SimpleCookie refuses are dropped.
 */
export function parseRequestCookies(header: string): Map<string, string> {
  const result = new Map<string, string>();
  let parsed: Record<string, string>;
  try {
    parsed = parseCookie(header);
  } catch {
    return result;
  }
  for (const key of Object.keys(parsed)) {
    if (!LEGAL_KEY.test(key) || RESERVED.has(key.toLowerCase())) continue;
    result.set(key, parsed[key]!);
  }
  return result;
}
