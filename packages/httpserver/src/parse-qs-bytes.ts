/**
 * Query-string parsing to bytes, as Tornado's escape.parse_qs_bytes (Python's parse_qsl with
 * keep_blank_values, `&` as the only separator, `+` as space, keys decoded latin-1).
 */

const HEX = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) table[0x30 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[0x41 + i] = 10 + i;
    table[0x61 + i] = 10 + i;
  }
  return table;
})();

function hexAt(text: string, index: number): number {
  const c = text.charCodeAt(index);
  return c < 0x100 ? HEX[c]! : -1;
}

/** Percent-decodes (and `+` -> space) a latin-1 string into bytes. */
export function unquotePlusToBytes(text: string): Buffer {
  if (text.indexOf("%") < 0 && text.indexOf("+") < 0) return Buffer.from(text, "latin1");
  const out = Buffer.allocUnsafe(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) & 0xff;
    if (c === 0x2b) {
      out[length++] = 0x20;
    } else if (c === 0x25 && i + 2 < text.length && hexAt(text, i + 1) >= 0 && hexAt(text, i + 2) >= 0) {
      out[length++] = hexAt(text, i + 1) * 16 + hexAt(text, i + 2);
      i += 2;
    } else {
      out[length++] = c;
    }
  }
  return out.subarray(0, length);
}

export interface ParsedQs {
  /** Each `[name, value]` in order. */
  pairs: Array<[string, Buffer]>;
}

/**
 * Parses `a=1&b=&c` into pairs; keys are latin-1 strings of the decoded bytes, values Buffers.
 * @param keepBlankValues keep `b=` and `c` (as empty values); Tornado passes true.
 */
export function parseQsBytes(query: string, keepBlankValues = true): ParsedQs {
  const pairs: Array<[string, Buffer]> = [];
  if (query.length === 0) return { pairs };
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf("&", start);
    if (end < 0) end = query.length;
    if (end > start) {
      const field = query.slice(start, end);
      const eq = field.indexOf("=");
      const name = eq < 0 ? field : field.slice(0, eq);
      const value = eq < 0 ? "" : field.slice(eq + 1);
      if (value.length > 0 || keepBlankValues) {
        pairs.push([unquotePlusToBytes(name).toString("latin1"), unquotePlusToBytes(value)]);
      }
    }
    start = end + 1;
  }
  return { pairs };
}

/** Parses a query into `{name: [values]}`. Tornado: escape.parse_qs_bytes. */
export function parseQsToArguments(query: string, into: Record<string, Buffer[]> = Object.create(null)): Record<string, Buffer[]> {
  for (const [name, value] of parseQsBytes(query, true).pairs) {
    const list = into[name];
    if (list === undefined) into[name] = [value];
    else list.push(value);
  }
  return into;
}
