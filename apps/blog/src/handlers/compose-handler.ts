/**
 * Writing and editing entries: `/compose` (with `?id=` to edit), for the logged-in author.
 * Tornado's demo stores the Markdown's HTML unsanitised and lets a title longer than the slug
 * column fail in the database; here the HTML has no raw tags and every field is checked.
 */

import { authenticated, HTTPError } from "@tornado/tornado";
import { createEntry, entryById, updateEntry, type Entry } from "../entries";
import { fieldError, LIMITS } from "../form";
import { BaseHandler } from "./base-handler";

export class ComposeHandler extends BaseHandler {
  /** The entry named by `?id=` (404 when there is none, 400 when it is not a number), or null. */
  async entryArgument(): Promise<Entry | null> {
    const id = this.getArgument("id", null);
    if (id === null || id === "") return null;
    if (!/^[0-9]{1,9}$/.test(id)) throw new HTTPError(400, "id must be an entry number");
    const entry = await entryById(this.db, Number(id));
    if (!entry) throw new HTTPError(404);
    return entry;
  }

  @authenticated
  async get(): Promise<void> {
    const entry = await this.entryArgument();
    await this.render("compose.html", { entry, title: entry?.title ?? "", markdown: entry?.markdown ?? "", error: null, limits: LIMITS });
  }

  @authenticated
  async post(): Promise<void> {
    const entry = await this.entryArgument();
    const title = this.getArgument("title", "")!;
    const markdown = this.getArgument("markdown", "", false)!;
    const error = fieldError({ Title: [title, LIMITS.title], Text: [markdown.trim(), LIMITS.markdown] });
    if (error) {
      this.setStatus(400);
      return this.render("compose.html", { entry, title, markdown, error, limits: LIMITS });
    }
    let slug: string;
    if (entry) {
      await updateEntry(this.db, entry.id, title, markdown);
      slug = entry.slug;
    } else {
      slug = await createEntry(this.db, this.author!.id, title, markdown);
    }
    await this.redirect(`/entry/${encodeURIComponent(slug)}`);
  }
}
