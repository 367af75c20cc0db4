/** The reading side: the home page, one entry, the archive and the Atom feed (Tornado's demo, one for one). */

import { HTTPError } from "@tornado/tornado";
import { entryBySlug, latestEntries } from "../entries";
import { BaseHandler } from "./base-handler";

export class HomeHandler extends BaseHandler {
  async get(): Promise<void> {
    const entries = await latestEntries(this.db, 5);
    if (entries.length === 0) return this.redirect("/compose");
    await this.render("home.html", { entries });
  }
}

export class EntryHandler extends BaseHandler {
  async get(slug: string): Promise<void> {
    // Slugs are made of [a-z0-9-] (slug.ts): anything else is no entry, and never reaches
    // the database (PostgreSQL refuses a NUL in a string with an error).
    const entry = /^[a-z0-9-]{1,100}$/.test(slug) ? await entryBySlug(this.db, slug) : null;
    if (!entry) throw new HTTPError(404);
    await this.render("entry.html", { entry });
  }
}

export class ArchiveHandler extends BaseHandler {
  async get(): Promise<void> {
    await this.render("archive.html", { entries: await latestEntries(this.db) });
  }
}

/** RFC 3339 in UTC without fractions, as Tornado's feed writes `%Y-%m-%dT%H:%M:%SZ`. */
function atomDate(date: Date): string {
  return date.toISOString().replace(/\.[0-9]{3}Z$/, "Z");
}

export class FeedHandler extends BaseHandler {
  async get(): Promise<void> {
    const entries = await latestEntries(this.db, 10);
    this.setHeader("Content-Type", "application/atom+xml; charset=UTF-8");
    const home = `${this.request.protocol}://${this.request.host}/`;
    await this.render("feed.xml", { entries, home, atomDate });
  }
}
