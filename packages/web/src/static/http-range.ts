/**
 * The Range request header as Tornado reads it: a single `bytes=` range; anything else
 * (another unit, several ranges, garbage) is ignored. Tornado: httputil._parse_request_range,
 * _get_content_range.
 */

/**
 * `[start, end)` with Python slice meaning: `start` may be negative (a suffix), `end` is
 * exclusive, either may be null. null when the header is ignored.
 * `bytes=0-9` -> [0, 10]; `bytes=5-` -> [5, null]; `bytes=-4` -> [-4, null]; `bytes=-0` -> [null, 0].
 */
export function parseRequestRange(header: string): [number | null, number | null] | null {
  const eq = header.indexOf("=");
  const unit = (eq < 0 ? header : header.slice(0, eq)).trim();
  const value = (eq < 0 ? "" : header.slice(eq + 1)).trim();
  if (unit !== "bytes") return null;
  const dash = value.indexOf("-");
  const startText = (dash < 0 ? value : value.slice(0, dash)).trim();
  const endText = (dash < 0 ? "" : value.slice(dash + 1)).trim();
  const toInt = (text: string): number | null | undefined => {
    if (text === "") return null;
    return /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;
  };
  let start = toInt(startText);
  let end = toInt(endText);
  if (start === undefined || end === undefined) return null;
  if (end !== null) {
    if (start === null) {
      if (end !== 0) {
        start = -end;
        end = null;
      }
    } else {
      end += 1;
    }
  }
  return [start, end];
}

/** `bytes 0-9/26` for `[start, end)` of `total`. Tornado: httputil._get_content_range. */
export function formatContentRange(start: number | null, end: number | null, total: number): string {
  return `bytes ${start ?? 0}-${(end || total) - 1}/${total}`;
}
