/**
 * URL slugs from titles, as Tornado's demo makes them (Unicode decomposed, accents dropped,
 * runs of other characters one "-"), with two fixes: a combining mark no longer splits a word
 * ("Résumé" is "resume", not "re-sume"), and the slug fits the column (VARCHAR(100)) with
 * room for a "-N" suffix.
 */

export const MAX_SLUG_BASE = 80;

export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG_BASE)
    .replace(/^-+|-+$/g, "");
  return slug || "entry";
}

/**
 * The first free slug for `base` among `taken`: `base`, else `base-N` with N one more than the
 * largest suffix in use (Tornado appends "-2" again and again: "x-2-2-2").
 */
export function nextFreeSlug(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  let largest = 1;
  for (const slug of taken) {
    const suffix = slug.slice(base.length + 1);
    if (slug.startsWith(`${base}-`) && /^[0-9]{1,9}$/.test(suffix)) largest = Math.max(largest, Number(suffix));
  }
  return `${base}-${largest + 1}`;
}
