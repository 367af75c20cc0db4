/**
 * Parameterised header values (`Content-Type`, `Content-Disposition`, WebSocket extensions),
 * with RFC 2231 / RFC 5987 extended and continued parameters.
 * Tornado: httputil._parse_header and _encode_header (via email.utils.decode_params).
 */

// Splits on `;` outside double quotes (a backslash escapes the next character), in one pass
// so that a value full of quotes or semicolons stays linear.
function splitParameters(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (quoted) {
      if (c === 0x5c) i++;
      else if (c === 0x22) quoted = false;
    } else if (c === 0x22) {
      quoted = true;
    } else if (c === 0x3b) {
      parts.push(line.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(line.slice(start).trim());
  return parts;
}

/** Python's email.utils.unquote for a quoted-string: strips quotes, undoes `\\` and `\"`. */
function unquoteValue(value: string): string {
  if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\\\/g, "\\").replace(/\\"/g, '"');
  }
  return value;
}

function percentDecodeToBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 && i + 2 < text.length + 1 && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const byte of Buffer.from(text[i]!, "utf8")) bytes.push(byte);
    }
  }
  return Buffer.from(bytes);
}

function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset || "us-ascii", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

const CONTINUATION = /^(\w+)\*(?:([0-9]+)\*?)?$/;

/**
 * Parses `form-data; name="files"; filename*=UTF-8''%C3%A1b.txt` into the main value and a
 * dictionary of lower-cased parameter names to unquoted values; RFC 2231 extended parameters
 * (`name*`, `name*0*`, `name*1`) are decoded with their charset and win over plain ones.
 * Tornado: httputil._parse_header.
 */
export function parseHeaderParameters(line: string): [string, Record<string, string>] {
  const parts = splitParameters(line);
  const key = parts[0]!;
  const params = Object.create(null) as Record<string, string>;
  const continued = new Map<string, Array<{ index: number; value: string; encoded: boolean }>>();
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    const rawValue = part.slice(eq + 1).trim();
    const match = CONTINUATION.exec(name);
    if (match) {
      const list = continued.get(match[1]!) ?? [];
      list.push({ index: match[2] === undefined ? -1 : Number(match[2]), value: unquoteValue(rawValue), encoded: name.endsWith("*") });
      continued.set(match[1]!, list);
    } else {
      params[name] = unquoteValue(rawValue);
    }
  }
  for (const [name, list] of continued) {
    list.sort((a, b) => a.index - b.index);
    const extended = list.some((item) => item.encoded);
    if (!extended) {
      params[name] = list.map((item) => item.value).join("");
      continue;
    }
    // The first encoded segment carries charset'language'; percent-decode encoded segments.
    let charset = "";
    const chunks: Buffer[] = [];
    list.forEach((item, position) => {
      let text = item.value;
      if (position === 0 && item.encoded) {
        const pieces = text.split("'");
        if (pieces.length >= 3) {
          charset = pieces[0]!;
          text = pieces.slice(2).join("'");
        }
      }
      chunks.push(item.encoded ? percentDecodeToBytes(text) : Buffer.from(text, "latin1"));
    });
    let value = decodeCharset(Buffer.concat(chunks), charset);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    params[name] = value;
  }
  return [key, params];
}

/**
 * The inverse for simple cases: `key; a=b; c` from a dictionary (a null value writes the bare
 * name). Tornado: httputil._encode_header.
 */
export function encodeHeaderParameters(key: string, params: Record<string, string | null>): string {
  if (Object.keys(params).length === 0) return key;
  const out = [key];
  for (const [name, value] of Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(value === null ? name : `${name}=${value}`);
  }
  return out.join("; ");
}
