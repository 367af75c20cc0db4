import { useBlog } from "./helpers/blog-fixture";
import { describeEachDatabase } from "./helpers/databases";
import type { Visitor } from "./helpers/visitor";

interface Row {
  id: number;
  slug: string;
  title: string;
  markdown: string;
  html: string;
  published: Date;
  updated: Date;
}

describeEachDatabase("entries", (backend) => {
  const blog = useBlog(backend);
  let author: Visitor;

  beforeEach(async () => {
    author = await blog.signUp();
  });

  async function publish(title: string, markdown = "Some *text*."): Promise<string> {
    const answer = await author.post("/compose", { title, markdown });
    if (answer.status !== 302) throw new Error(`publish failed: ${answer.status} ${answer.text}`);
    return answer.location!;
  }

  async function entries(): Promise<Row[]> {
    return blog.db.query<Row>("SELECT * FROM entries ORDER BY id");
  }

  it("publishes an entry, shows it on its page, the home page and the archive, and edits it in place", async () => {
    expect(await publish("Hello, Tornado!", "# Heading\n\nA *short* post with `code`.")).toBe("/entry/hello-tornado");
    const page = await blog.visitor().get("/entry/hello-tornado");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1><a href="/entry/hello-tornado">Hello, Tornado!</a></h1>');
    expect(page.text).toContain("<h1>Heading</h1>\n<p>A <em>short</em> post with <code>code</code>.</p>");
    expect(page.text).not.toContain("Edit this post"); // anonymous readers get no admin link
    const home = await blog.visitor().get("/");
    expect(home.status).toBe(200);
    expect(home.text).toContain("Hello, Tornado!");
    expect((await blog.visitor().get("/archive")).text).toContain('<a href="/entry/hello-tornado">Hello, Tornado!</a>');

    const [before] = await entries();
    const form = await author.get(`/compose?id=${before.id}`);
    expect(form.text).toContain('value="Hello, Tornado!"');
    expect(form.text).toContain("# Heading\n\nA *short* post with `code`.</textarea>");
    expect(form.text).toContain(`<input type="hidden" name="id" value="${before.id}">`);
    const edited = await author.post("/compose", { id: String(before.id), title: "Hello again", markdown: "Edited." });
    expect(edited.location).toBe("/entry/hello-tornado");
    const [after] = await entries();
    expect(after).toMatchObject({ slug: "hello-tornado", title: "Hello again", markdown: "Edited.", html: "<p>Edited.</p>\n" });
    expect(after.published.getTime()).toBe(before.published.getTime());
    expect(after.updated.getTime()).toBeGreaterThanOrEqual(before.updated.getTime());
    expect((await blog.visitor().get("/entry/hello-tornado")).text).toContain("<p>Edited.</p>");
  });

  it("shows the five newest entries on the home page and all of them in the archive", async () => {
    for (let n = 1; n <= 7; n++) await publish(`Post ${n}`);
    const home = (await blog.visitor().get("/")).text;
    const archive = (await blog.visitor().get("/archive")).text;
    const shown = (html: string) => [...html.matchAll(/<a href="\/entry\/post-([0-9])">/g)].map((m) => Number(m[1]));
    expect(shown(home)).toEqual([7, 6, 5, 4, 3]);
    expect(shown(archive)).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it("serves the ten newest entries as an Atom feed with XHTML content", async () => {
    await publish("First", "one & two < three");
    await publish("Second", "line  \nbreak");
    const feed = await blog.visitor().get("/feed");
    expect(feed.status).toBe(200);
    expect(feed.headers.get("content-type")).toBe("application/atom+xml; charset=UTF-8");
    expect(feed.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    const titles = [...feed.text.matchAll(/<title type="text">([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(["Second", "First"]);
    expect(feed.text).toContain(`<id>${blog.url}/entry/first</id>`);
    expect(feed.text).toContain('<div xmlns="http://www.w3.org/1999/xhtml"><p>one &amp; two &lt; three</p>\n</div>');
    expect(feed.text).toContain("<p>line<br />\nbreak</p>"); // XHTML: void elements closed
    for (const [, date] of feed.text.matchAll(/<(?:updated|published)>([^<]*)</g)) expect(date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("shows XSS payloads in titles and bodies as text, on the page and in the feed", async () => {
    const title = `<script>alert("title")</script><img src=x onerror=alert(1)>`;
    const markdown = [
      `<script>alert("body")</script>`,
      `<img src="x" onerror="alert(2)">`,
      `[click me](javascript:alert(3))`,
      `<a href="javascript:alert(4)">raw link</a>`,
      `![pic](data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==)`,
      `<iframe src="https://evil.example/"></iframe>`,
    ].join("\n\n");
    const location = await publish(title, markdown);
    const [row] = await entries();
    for (const html of [row.html, (await blog.visitor().get(location)).text, (await blog.visitor().get("/feed")).text]) {
      expect(html).not.toMatch(/<script>alert|<img[^>]*onerror|<iframe|href="javascript:|src="data:text\/html/i);
    }
    expect(row.html).toContain("&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;");
    expect(row.html).toContain("[click me](javascript:alert(3))");
    const page = (await blog.visitor().get(location)).text;
    expect(page).toContain("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;</a></h1>");
    expect(page).toContain("<title>&lt;script&gt;");
    expect(row.title).toBe(title); // stored as written, escaped on the way out
  });

  it("numbers colliding slugs -2, -3 and gives punctuation-only and non-Latin titles a slug", async () => {
    expect(await publish("Hello, World!")).toBe("/entry/hello-world");
    expect(await publish("hello world")).toBe("/entry/hello-world-2");
    expect(await publish("HELLO -- WORLD?")).toBe("/entry/hello-world-3");
    expect(await publish("Hello World 2")).toBe("/entry/hello-world-2-2");
    expect(await publish("Résumé: Ünïcödé")).toBe("/entry/resume-unicode");
    expect(await publish("!!!")).toBe("/entry/entry");
    expect(await publish("東京")).toBe("/entry/entry-2");
    expect((await entries()).length).toBe(7);
  });

  it("takes a title of the full 512 characters, with a slug that fits its column", async () => {
    const location = await publish("word ".repeat(102) + "ab");
    const [row] = await entries();
    expect(row.title.length).toBe(512);
    expect(row.slug.length).toBeLessThanOrEqual(80);
    expect(location).toBe(`/entry/${row.slug}`);
    expect(await publish("word ".repeat(102) + "ab")).toBe(`/entry/${row.slug}-2`);
  });

  it.each([
    ["an empty title", { title: "   " }, "Title is required."],
    ["a title of 513 characters", { title: "t".repeat(513) }, "Title is too long (at most 512 characters)."],
    ["an empty text", { markdown: " \n " }, "Text is required."],
    ["a text over 100000 characters", { markdown: "m".repeat(100_001) }, "Text is too long (at most 100000 characters)."],
  ])("gives the form back for %s (400), keeping what was typed and saving nothing", async (_case, fields, message) => {
    const answer = await author.post("/compose", { title: "A <b>title</b>", markdown: "Some text", ...fields });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(`<p class="error">${message}</p>`);
    if (!("title" in fields)) expect(answer.text).toContain('value="A &lt;b&gt;title&lt;/b&gt;"');
    expect(await entries()).toEqual([]);
  });

  it("refuses to edit with a malformed id (400) or an unknown one (404), changing nothing", async () => {
    await publish("Keep me", "unchanged");
    const before = await entries();
    for (const id of ["abc", "1.5", "-1", "99999999999"]) {
      expect((await author.get(`/compose?id=${encodeURIComponent(id)}`)).status).toBe(400);
      expect((await author.post("/compose", { id, title: "x", markdown: "y" })).status).toBe(400);
    }
    expect((await author.get("/compose?id=4242")).status).toBe(404);
    expect((await author.post("/compose", { id: "4242", title: "x", markdown: "y" })).status).toBe(404);
    expect(await entries()).toEqual(before);
  });

  it("answers 404 for an unknown slug", async () => {
    expect((await blog.visitor().get("/entry/no-such-entry")).status).toBe(404);
    expect((await blog.visitor().get("/entry/%00%27%22")).status).toBe(404);
    expect((await blog.visitor().get(`/entry/${"a".repeat(101)}`)).status).toBe(404);
  });

  it("stores control characters in fields as spaces, never failing on a NUL", async () => {
    expect(await publish("nul\u0000in\u0007title", "nul\u0000in text")).toBe("/entry/nul-in-title");
    const [row] = await entries();
    expect(row.title).toBe("nul in title");
    expect(row.markdown).toBe("nul in text");
  });

  it("sends readers to log in and refuses anonymous posts (403), changing nothing", async () => {
    const reader = blog.visitor();
    expect((await reader.get("/compose")).location).toBe("/auth/login?next=%2Fcompose");
    expect((await reader.post("/compose", { title: "Spam", markdown: "spam" })).status).toBe(403);
    expect(await entries()).toEqual([]);
  });

  it("sends a Content-Security-Policy that forbids inline script on every page", async () => {
    await publish("CSP");
    for (const path of ["/", "/entry/csp", "/archive", "/compose", "/auth/login"]) {
      const answer = await author.get(path);
      expect(answer.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.text).not.toMatch(/<script|style=|\son[a-z]+=/i);
    }
  });
});
