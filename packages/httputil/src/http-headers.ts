/**
 * HTTPHeaders: a case-insensitive, multi-valued, order-preserving header map.
 * Tornado: httputil.HTTPHeaders.
 */

import { isFieldValue, isToken } from "./char-tables";
import { HTTPInputError } from "./errors";

const NORMALIZED_CACHE = new Map<string, string>();
const NORMALIZED_CACHE_LIMIT = 1000;

/**
 * Normalizes a header name to Tornado's form, each `-` separated word capitalized
 * (`coNtent-TYPE` -> `Content-Type`). Results are cached (bounded), so the hot path is one Map
 * lookup. Tornado: httputil._normalize_header.
 */
export function normalizeHeaderName(name: string): string {
  const cached = NORMALIZED_CACHE.get(name);
  if (cached !== undefined) return cached;
  let result = "";
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i]!;
    result += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === "-";
  }
  if (NORMALIZED_CACHE.size < NORMALIZED_CACHE_LIMIT) NORMALIZED_CACHE.set(name, result);
  return result;
}

function stripWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  while (end > start && (value.charCodeAt(end - 1) === 0x20 || value.charCodeAt(end - 1) === 0x09)) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function checkName(name: string): void {
  if (!isToken(name)) throw new HTTPInputError(`Invalid header name ${JSON.stringify(name)}`);
}

function checkValue(value: string): void {
  if (!isFieldValue(value)) throw new HTTPInputError(`Invalid header value ${JSON.stringify(value)}`);
}

/**
 * A case-insensitive multi-dict of header fields. `get` joins repeated fields with `","` (as
 * Tornado's `h[name]`); `getList` returns each value. Names are stored normalized; names must
 * be RFC 9110 tokens and values field characters, else HTTPInputError.
 *
 * @example
 * const h = new HTTPHeaders({ "content-type": "text/html" });
 * h.add("Set-Cookie", "A=B"); h.add("Set-Cookie", "C=D");
 * h.get("set-cookie"); // "A=B,C=D"
 */
export class HTTPHeaders {
  // normalized name -> one value (the common case, no array) or several in order
  #map = new Map<string, string | string[]>();
  #lastName: string | null = null;

  constructor(init?: HTTPHeaders | Record<string, string> | Iterable<readonly [string, string]>) {
    if (init === undefined || init === null) return;
    if (init instanceof HTTPHeaders) {
      for (const [name, value] of init.allItems()) this.add(name, value);
    } else if (Symbol.iterator in Object(init)) {
      for (const [name, value] of init as Iterable<readonly [string, string]>) this.add(name, value);
    } else {
      for (const name of Object.keys(init)) this.set(name, (init as Record<string, string>)[name]!);
    }
  }

  /**
   * Internal fast path for the wire parser: name and value already validated and normalized.
   * @internal
   */
  _addTrusted(normalized: string, value: string): void {
    const existing = this.#map.get(normalized);
    if (existing === undefined) this.#map.set(normalized, value);
    else if (typeof existing === "string") this.#map.set(normalized, [existing, value]);
    else existing.push(value);
    this.#lastName = normalized;
  }

  /** Adds a value for `name`, keeping earlier ones. Tornado: HTTPHeaders.add. */
  add(name: string, value: string): void {
    checkName(name);
    value = String(value);
    checkValue(value);
    this._addTrusted(normalizeHeaderName(name), value);
  }

  /** Replaces every value of `name` with `value`. Tornado: `h[name] = value`. */
  set(name: string, value: string): void {
    checkName(name);
    value = String(value);
    checkValue(value);
    const normalized = normalizeHeaderName(name);
    this.#map.set(normalized, value);
    this.#lastName = normalized;
  }

  /** Sets `name` to `value` only if absent; returns the (first) value. Tornado: setdefault. */
  setDefault(name: string, value: string): string {
    const current = this.get(name);
    if (current !== undefined) return current;
    this.set(name, value);
    return value;
  }

  /** The values of `name` joined with `","`, or undefined. Tornado: `h[name]` / `h.get(name)`. */
  get(name: string): string | undefined {
    const value = this.#map.get(normalizeHeaderName(name));
    if (value === undefined || typeof value === "string") return value;
    return value.join(",");
  }

  /** Every value of `name`, in order (empty when absent). Tornado: HTTPHeaders.get_list. */
  getList(name: string): string[] {
    const value = this.#map.get(normalizeHeaderName(name));
    if (value === undefined) return [];
    return typeof value === "string" ? [value] : value.slice();
  }

  has(name: string): boolean {
    return this.#map.has(normalizeHeaderName(name));
  }

  /** Removes every value of `name`; returns whether it was present. */
  delete(name: string): boolean {
    return this.#map.delete(normalizeHeaderName(name));
  }

  /** The number of distinct names. */
  get size(): number {
    return this.#map.size;
  }

  /** The distinct (normalized) names, in first-seen order. */
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Every `[name, value]` pair, a repeated name once per value. Tornado: get_all. */
  *allItems(): IterableIterator<[string, string]> {
    for (const [name, value] of this.#map) {
      if (typeof value === "string") yield [name, value];
      else for (const item of value) yield [name, item];
    }
  }

  /** Alias of allItems (Tornado's get_all). */
  getAll(): IterableIterator<[string, string]> {
    return this.allItems();
  }

  /** Iterates `[name, joinedValue]` like a Map. */
  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (const name of this.#map.keys()) yield [name, this.get(name)!];
  }

  /**
   * Adds one header line (without its line ending, or with `\r\n` / `\n`). A line starting with
   * SP or HTAB continues the previous value (obs-fold, joined with one space), as Tornado does.
   * Tornado: HTTPHeaders.parse_line.
   */
  parseLine(line: string): void {
    if (line.endsWith("\r\n")) line = line.slice(0, -2);
    else if (line.endsWith("\n")) line = line.slice(0, -1);
    if (line.length === 0) return;
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      if (this.#lastName === null) throw new HTTPInputError("First header line cannot start with whitespace");
      const continuation = stripWhitespace(line);
      checkValue(continuation);
      const existing = this.#map.get(this.#lastName)!;
      if (typeof existing === "string") {
        this.#map.set(this.#lastName, continuation ? `${existing} ${continuation}` : existing);
      } else if (continuation) {
        existing[existing.length - 1] += ` ${continuation}`;
      }
      return;
    }
    const colon = line.indexOf(":");
    if (colon < 0) throw new HTTPInputError("no colon in header line");
    const name = line.slice(0, colon);
    checkName(name);
    const value = stripWhitespace(line.slice(colon + 1));
    checkValue(value);
    this._addTrusted(normalizeHeaderName(name), value);
  }

  /**
   * Parses a header block (`Name: value` lines ended by CRLF or LF; a bare CR is an error).
   * Tornado: HTTPHeaders.parse.
   */
  static parse(text: string): HTTPHeaders {
    const headers = new HTTPHeaders();
    let start = 0;
    for (;;) {
      const lf = text.indexOf("\n", start);
      if (lf < 0) {
        headers.parseLine(text.slice(start));
        break;
      }
      headers.parseLine(text.slice(start, lf + 1));
      start = lf + 1;
    }
    return headers;
  }

  /** A deep copy (value lists are not shared). */
  copy(): HTTPHeaders {
    const result = new HTTPHeaders();
    for (const [name, value] of this.#map) {
      result.#map.set(name, typeof value === "string" ? value : value.slice());
    }
    return result;
  }

  /**
   * Calls `callback` once per distinct name with its value, or its values in order when
   * repeated, without copying them: for the HTTP/2 response writer. @internal
   */
  _forEachField(callback: (value: string | readonly string[], name: string) => void): void {
    this.#map.forEach(callback);
  }

  /** `Name: value\r\n` per value, for the response writer. @internal */
  _render(): string {
    let text = "";
    for (const [name, value] of this.#map) {
      if (typeof value === "string") text += `${name}: ${value}\r\n`;
      else for (const item of value) text += `${name}: ${item}\r\n`;
    }
    return text;
  }

  /** `Name: value\n` per value, as Tornado's `str(headers)`. */
  toString(): string {
    let text = "";
    for (const [name, value] of this.allItems()) text += `${name}: ${value}\n`;
    return text;
  }
}
