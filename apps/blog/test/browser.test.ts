import { join } from "node:path";
import { describeWithBrowser, saveScreenshot, useBrowser } from "@tornado-apps/browser-testing";
import { AUTHOR, useBlog } from "./helpers/blog-fixture";
import { BACKENDS } from "./helpers/databases";

const APP_DIR = join(__dirname, "..");

const POST = `Tornado's blog demo, ported: handlers, templates with \`{% extends %}\` and an
\`Entry\` UI module, signed cookies and XSRF, on **PGlite** or **PostgreSQL**.

- Markdown through markdown-it, raw HTML off
- argon2id passwords, sessions rotated at login

\`\`\`ts
class EntryHandler extends BaseHandler {
  async get(slug: string) { ... }
}
\`\`\``;

describeWithBrowser("the blog in Chromium", () => {
  const blog = useBlog(BACKENDS[0]); // PGlite: the browser part does not depend on the database
  const browser = useBrowser();

  it("creates the author, writes, edits and reads an entry, reads the feed, and signs out", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // No entries and no author: / -> /compose -> /auth/login -> /auth/create.
    await page.goto(`${blog.url}/`);
    expect(page.url()).toBe(`${blog.url}/auth/create?next=%2Fcompose`);
    await page.fill("input[name=email]", AUTHOR.email);
    await page.fill("input[name=name]", AUTHOR.name);
    await page.fill("input[name=password]", AUTHOR.password);
    await Promise.all([page.waitForURL(`${blog.url}/compose`), page.click("input[type=submit]")]);

    // Write an entry.
    await page.fill("input[name=title]", "Hello from Tornado for TypeScript");
    await page.fill("textarea[name=markdown]", POST);
    await Promise.all([page.waitForURL(/\/entry\//), page.click("input[type=submit]")]);
    expect(page.url()).toBe(`${blog.url}/entry/hello-from-tornado-for-typescript`);
    expect(await page.textContent(".entry h1")).toBe("Hello from Tornado for TypeScript");
    expect(await page.textContent(".entry .body strong")).toBe("PGlite");
    expect(await page.locator(".entry .body li").count()).toBe(2);

    // Edit it: the form comes back filled in, the slug stays.
    await Promise.all([page.waitForURL(/\/compose\?id=/), page.click("text=Edit this post")]);
    expect(await page.inputValue("input[name=title]")).toBe("Hello from Tornado for TypeScript");
    expect(await page.inputValue("textarea[name=markdown]")).toBe(POST);
    await page.fill("input[name=title]", "Hello from Tornado for TypeScript (edited)");
    await Promise.all([page.waitForURL(/\/entry\//), page.click("input[type=submit]")]);
    expect(page.url()).toBe(`${blog.url}/entry/hello-from-tornado-for-typescript`);
    expect(await page.textContent(".entry h1")).toBe("Hello from Tornado for TypeScript (edited)");

    await page.goto(`${blog.url}/`);
    await saveScreenshot(page, APP_DIR, "blog.png"); // the README's picture

    // A hostile entry stays inert in a real browser.
    await page.goto(`${blog.url}/compose`);
    await page.fill("input[name=title]", `<script>alert("title")</script>`);
    await page.fill("textarea[name=markdown]", `<img src=x onerror="alert('body')"> [x](javascript:alert('link'))`);
    await Promise.all([page.waitForURL(/\/entry\//), page.click("input[type=submit]")]);
    expect(await page.textContent(".entry h1")).toBe(`<script>alert("title")</script>`);
    expect(await page.locator(".entry .body img, .entry .body a").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await saveScreenshot(page, APP_DIR, "blog-hostile-entry.png");
    await page.goto(`${blog.url}/`);
    expect(await page.locator(".entry").count()).toBe(2);

    // The feed is well-formed Atom (Chromium's XML parser) with the entries' XHTML inside.
    const feed = await page.evaluate(async () => {
      const response = await fetch("/feed");
      const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
      const atom = "http://www.w3.org/2005/Atom";
      return {
        type: response.headers.get("content-type"),
        error: xml.getElementsByTagName("parsererror")[0]?.textContent ?? null,
        titles: [...xml.getElementsByTagNameNS(atom, "entry")].map((e) => e.getElementsByTagNameNS(atom, "title")[0].textContent),
        strong: xml.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "strong")[0]?.textContent ?? null,
      };
    });
    expect(feed).toEqual({
      type: "application/atom+xml; charset=UTF-8",
      error: null,
      titles: [`<script>alert("title")</script>`, "Hello from Tornado for TypeScript (edited)"],
      strong: "PGlite",
    });

    // Sign out from the header; the admin links are gone.
    await Promise.all([page.waitForURL(`${blog.url}/`), page.click("#header button:has-text('Sign out')")]);
    expect(await page.locator("text=Edit this post").count()).toBe(0);
    expect(await page.locator("#header a:has-text('Sign in')").count()).toBe(1);
    expect(await blog.count("sessions")).toBe(0);
  });
});
