/**
 * A reader for CSV in Python's default "excel" dialect (`,` delimiter, `"` quotes doubled
 * inside quoted fields, CRLF or LF line ends, newlines allowed inside quotes), as Tornado's
 * translation files are read. Tornado: csv.reader(f) in locale.load_translations.
 */

/** Parses CSV text into rows of fields. A blank line is an empty row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let inQuotes = false;
  let quotedField = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
    quotedField = false;
  };
  const endRow = () => {
    if (row.length > 0 || field.length > 0 || quotedField) endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field.length === 0 && !quotedField) {
      inQuotes = true;
      quotedField = true;
    } else if (ch === ",") {
      endField();
    } else if (ch === "\r") {
      endRow();
      if (text[i + 1] === "\n") i++;
    } else if (ch === "\n") {
      endRow();
    } else {
      // Python keeps characters after a closing quote as part of the field ("a"b -> ab).
      field += ch;
    }
    i++;
  }
  if (field.length > 0 || row.length > 0 || quotedField || inQuotes) endRow();
  return rows;
}
