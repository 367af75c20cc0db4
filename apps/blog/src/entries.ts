/**
 * The entries table's reads and writes. Creating an entry picks a free slug; two authors
 * publishing the same title at once both succeed (the unique constraint decides, the loser
 * takes the next suffix).
 */

import { isUniqueViolation, type Queryable } from "./database";
import { renderMarkdown } from "./markdown";
import { nextFreeSlug, slugify } from "./slug";

export interface Entry {
  id: number;
  author_id: number;
  slug: string;
  title: string;
  markdown: string;
  html: string;
  published: Date;
  updated: Date;
}

export function latestEntries(db: Queryable, limit?: number): Promise<Entry[]> {
  return limit === undefined
    ? db.query<Entry>("SELECT * FROM entries ORDER BY published DESC, id DESC")
    : db.query<Entry>("SELECT * FROM entries ORDER BY published DESC, id DESC LIMIT $1", [limit]);
}

export async function entryBySlug(db: Queryable, slug: string): Promise<Entry | null> {
  return (await db.query<Entry>("SELECT * FROM entries WHERE slug = $1", [slug]))[0] ?? null;
}

export async function entryById(db: Queryable, id: number): Promise<Entry | null> {
  return (await db.query<Entry>("SELECT * FROM entries WHERE id = $1", [id]))[0] ?? null;
}

/** Publishes a new entry; resolves with its slug. */
export async function createEntry(db: Queryable, authorId: number, title: string, markdown: string): Promise<string> {
  const base = slugify(title);
  const html = renderMarkdown(markdown);
  for (let attempt = 0; ; attempt++) {
    // A slug is [a-z0-9-] only, so it is safe inside the pattern.
    const taken = await db.query<{ slug: string }>("SELECT slug FROM entries WHERE slug = $1 OR slug ~ $2", [base, `^${base}-[0-9]+$`]);
    const slug = nextFreeSlug(base, taken.map((row) => row.slug));
    try {
      await db.query(
        `INSERT INTO entries (author_id, title, slug, markdown, html, published, updated)
         VALUES ($1, $2, $3, $4, $5, now(), now())`,
        [authorId, title, slug, markdown, html],
      );
      return slug;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

/** Rewrites an entry's title and text; the slug stays, so links keep working. */
export async function updateEntry(db: Queryable, id: number, title: string, markdown: string): Promise<void> {
  await db.query("UPDATE entries SET title = $1, markdown = $2, html = $3, updated = now() WHERE id = $4", [
    title,
    markdown,
    renderMarkdown(markdown),
    id,
  ]);
}
