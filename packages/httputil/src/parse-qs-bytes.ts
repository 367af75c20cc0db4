/**
 * Query-string and urlencoded-body parsing to bytes, as Tornado's escape.parse_qs_bytes
 * (Python's parse_qsl with keep_blank_values, `&` as the only separator, `+` as space, keys
 * decoded latin-1), with Python's `max_num_fields` as `maxArguments`.
 *
 * One pass over the bytes, so a million fields, or one field of 100 MB, cost time linear in
 * the input. A value without escapes is a view of the input, not a copy.
 */

import { HTTPTooManyArgumentsError } from "./errors";

const AMPERSAND = 0x26;
const EQUALS = 0x3d;
const PERCENT = 0x25;
const PLUS = 0x2b;

const HEX = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) table[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[0x41 + i] = 10 + i;
    table[0x61 + i] = 10 + i;
  }
  return table;
})();

/** Options of parseQsBytes and parseQsToArguments. */
export interface ParseQsOptions {
  /** Keep `b=` and `c` (as empty values); default true, as Tornado parses requests. */
  keepBlankValues?: boolean;
  /**
   * Most fields allowed, counted as Python's `max_num_fields` does (every `&`-separated
   * segment, empty ones included); more throws HTTPTooManyArgumentsError before the rest is
   * parsed. Default unlimited (requests apply `ParseUrlencodedConfig.maxArguments`, 1000).
   */
  maxArguments?: number;
  /** Where the input came from, for the error's status: `"body"` (413, default) or `"query"` (414). */
  source?: "body" | "query";
}

/**
 * Appends `value` to `into[name]`. Own properties only: an `into` made with `{}` has no list
 * under `toString` or `__proto__`, and `__proto__` becomes a plain key, not the prototype.
 */
export function appendValue<T>(into: Record<string, T[]>, name: string, value: T): void {
  const list = Object.hasOwn(into, name) ? into[name] : undefined;
  if (list !== undefined) list.push(value);
  else if (name === "__proto__") Object.defineProperty(into, name, { value: [value], writable: true, enumerable: true, configurable: true });
  else into[name] = [value];
}

/** Percent-decodes (and `+` -> space) `data[start, end)` into `out`; returns the length. */
function unquotePlusInto(data: Buffer, start: number, end: number, out: Buffer): number {
  let length = 0;
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    if (c === PLUS) {
      out[length++] = 0x20;
    } else if (c === PERCENT && i + 2 < end && HEX[data[i + 1]!]! >= 0 && HEX[data[i + 2]!]! >= 0) {
      out[length++] = HEX[data[i + 1]!]! * 16 + HEX[data[i + 2]!]!;
      i += 2;
    } else {
      out[length++] = c;
    }
  }
  return length;
}

// Scratch space for decoding names: their latin-1 strings are read from it, no Buffer per name.
let scratch = Buffer.allocUnsafe(256);

function decodeName(data: Buffer, start: number, end: number, escaped: boolean): string {
  if (!escaped) return data.toString("latin1", start, end);
  if (scratch.length < end - start) scratch = Buffer.allocUnsafe(end - start);
  return scratch.toString("latin1", 0, unquotePlusInto(data, start, end, scratch));
}

function decodeValue(data: Buffer, start: number, end: number, escaped: boolean): Buffer {
  if (!escaped) return data.subarray(start, end);
  const out = Buffer.allocUnsafe(end - start);
  return out.subarray(0, unquotePlusInto(data, start, end, out));
}

/**
 * Calls `visit(name, value)` for each field of `query` in order; keys are latin-1 strings of
 * the decoded bytes, values Buffers. Each `&` is found with indexOf (memchr), and the bytes
 * of a field are looked at once, for its `=` and escapes: linear in the input.
 */
function forEachField(query: string | Buffer, options: ParseQsOptions, visit: (name: string, value: Buffer) => void): void {
  const data = typeof query === "string" ? Buffer.from(query, "latin1") : query;
  const length = data.length;
  if (length === 0) return;
  const keepBlankValues = options.keepBlankValues !== false;
  const maxArguments = options.maxArguments ?? Infinity;
  let fields = 0;
  let start = 0;
  while (start <= length) {
    let end = data.indexOf(AMPERSAND, start);
    if (end < 0) end = length;
    if (++fields > maxArguments) {
      throw new HTTPTooManyArgumentsError(
        `Too many arguments in the ${options.source === "query" ? "query string" : "body"}: more than ${maxArguments} fields`,
        { limit: maxArguments, source: options.source },
      );
    }
    if (end > start) {
      let equals = -1;
      let nameEscaped = false;
      let valueEscaped = false;
      for (let i = start; i < end; i++) {
        const c = data[i]!;
        if (c === EQUALS) {
          if (equals < 0) equals = i;
        } else if (c === PERCENT || c === PLUS) {
          if (equals < 0) nameEscaped = true;
          else valueEscaped = true;
        }
      }
      const nameEnd = equals < 0 ? end : equals;
      const valueStart = equals < 0 ? end : equals + 1;
      if (valueStart < end || keepBlankValues) {
        visit(decodeName(data, start, nameEnd, nameEscaped), decodeValue(data, valueStart, end, valueEscaped));
      }
    }
    start = end + 1;
  }
}

/**
 * Parses `a=1&b=&c` into `[name, value]` pairs in order (Python's parse_qsl on bytes): keys
 * are latin-1 strings of the decoded bytes, values Buffers; empty segments are skipped.
 */
export function parseQsBytes(query: string | Buffer, options: ParseQsOptions = {}): Array<[string, Buffer]> {
  const pairs: Array<[string, Buffer]> = [];
  forEachField(query, options, (name, value) => pairs.push([name, value]));
  return pairs;
}

/**
 * Parses a query or urlencoded body into `{name: [values]}`, appending to `into`.
 * Tornado: escape.parse_qs_bytes(qs, keep_blank_values=True, max_num_fields=...).
 */
export function parseQsToArguments(
  query: string | Buffer,
  into: Record<string, Buffer[]> = Object.create(null) as Record<string, Buffer[]>,
  options: ParseQsOptions = {},
): Record<string, Buffer[]> {
  forEachField(query, options, (name, value) => appendValue(into, name, value));
  return into;
}
