/**
 * Content-coding negotiation from Accept-Encoding (RFC 9110 §12.5.3): q-values, `*`, and
 * `identity`. Used by CompressContentEncoding and StaticFileHandler's precompressed files.
 */

/** The q-value of each coding named in an Accept-Encoding header (lowercase keys). */
export function parseAcceptEncoding(header: string | undefined): Map<string, number> {
  const result = new Map<string, number>();
  if (!header) return result;
  for (const item of header.split(",")) {
    const [rawCoding, ...params] = item.split(";");
    const coding = rawCoding!.trim().toLowerCase();
    if (!coding) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split("=").map((s) => s.trim());
      if (key?.toLowerCase() === "q") {
        const parsed = Number(value);
        q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
      }
    }
    result.set(coding, Math.max(q, result.get(coding) ?? 0));
  }
  return result;
}

/**
 * The first of `preferred` (in server preference order) with the highest non-zero q-value in
 * the header, or undefined. `x-gzip` counts as `gzip`; `*` covers codings not named.
 */
export function negotiateContentEncoding(
  header: string | undefined,
  preferred: readonly string[],
): string | undefined {
  const accepted = parseAcceptEncoding(header);
  if (accepted.has("x-gzip") && !accepted.has("gzip")) accepted.set("gzip", accepted.get("x-gzip")!);
  let best: string | undefined;
  let bestQ = 0;
  for (const coding of preferred) {
    const q = accepted.get(coding) ?? accepted.get("*") ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}
