import { renderMarkdown } from "../src/markdown";
import { checkPassword, hashPassword } from "../src/passwords";
import { nextFreeSlug, slugify } from "../src/slug";

describe("slugify", () => {
  it.each([
    ["Hello, World!", "hello-world"],
    ["  --Tornado   6.5--  ", "tornado-6-5"],
    ["Résumé", "resume"], // Tornado's demo makes "re-sume"
    ["Ｆｕｌｌｗｉｄｔｈ", "fullwidth"], // NFKD folds compatibility forms
    ["東京", "entry"],
    ["!!!", "entry"],
    ["", "entry"],
  ])("%j -> %j", (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it("keeps at most 80 characters and never ends on a dash", () => {
    expect(slugify("a".repeat(79) + " b")).toBe("a".repeat(79));
    expect(slugify("x".repeat(500))).toHaveLength(80);
  });
});

describe("nextFreeSlug", () => {
  it("takes the base when it is free, else one more than the largest numeric suffix", () => {
    expect(nextFreeSlug("post", [])).toBe("post");
    expect(nextFreeSlug("post", ["post"])).toBe("post-2");
    expect(nextFreeSlug("post", ["post", "post-2", "post-7"])).toBe("post-8");
    expect(nextFreeSlug("post", ["post", "post-2x", "post-"])).toBe("post-2");
  });
});

describe("renderMarkdown", () => {
  it("renders Markdown, with void elements closed for the Atom feed", () => {
    expect(renderMarkdown("*a*  \nb\n\n---")).toBe("<p><em>a</em><br />\nb</p>\n<hr />\n");
  });

  it.each([
    ["<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"],
    ['<img src=x onerror="alert(1)">', "<p>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</p>\n"],
    ["[a](javascript:alert(1))", "<p>[a](javascript:alert(1))</p>\n"],
    ["[a](JaVaScRiPt:alert(1))", "<p>[a](JaVaScRiPt:alert(1))</p>\n"],
    ["[a](vbscript:msgbox)", "<p>[a](vbscript:msgbox)</p>\n"],
    ["<https://example.com/?q=<x>>", '<p>&lt;<a href="https://example.com/?q=">https://example.com/?q=</a>&lt;x&gt;&gt;</p>\n'],
  ])("leaves raw HTML and script URLs inert: %s", (source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });
});

describe("passwords", () => {
  it("hashes with argon2id and a fresh salt, and checks", async () => {
    const [first, second] = await Promise.all([hashPassword("secret words"), hashPassword("secret words")]);
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(first).not.toBe(second);
    expect(await checkPassword("secret words", first)).toBe(true);
    expect(await checkPassword("secret word", first)).toBe(false);
  });

  it("answers false, after the same work, when there is no hash or a malformed one", async () => {
    expect(await checkPassword("anything", null)).toBe(false);
    expect(await checkPassword("anything", "not a PHC string")).toBe(false);
  });
});
