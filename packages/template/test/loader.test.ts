// Loader, DictLoader and BaseLoader: caching, reset(), relative names, errors. Includes
// TemplateLoaderTest.test_utf8_in_file from template_test.py.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BaseLoader, DictLoader, Loader, ParseError, Template, TemplateNotFoundError } from "@tornado/template";

const FIXTURES = join(__dirname, "fixtures");

describe("Loader", () => {
  it("test_utf8_in_file", () => {
    const loader = new Loader(FIXTURES);
    expect(loader.load("utf8.html").generate().trim()).toBe("H\u00e9llo");
  });

  it("resolves extends and includes relative to each template's directory", () => {
    const loader = new Loader(FIXTURES);
    expect(loader.load("page.html").generate({ item: "<i>" })).toBe("<body>[&lt;i&gt;leaf]</body>\n");
    expect(loader.resolvePath("leaf.txt", "parts/item.html")).toBe("parts/leaf.txt");
    expect(loader.resolvePath("/x.html", "parts/item.html")).toBe("/x.html");
    expect(loader.resolvePath("../../etc/passwd", "parts/item.html")).toBe("../../etc/passwd");
  });

  it("reports each file it reads to onFileRead, extended and included ones too, once while cached", () => {
    const read: string[] = [];
    const loader = new Loader(FIXTURES, { onFileRead: (file) => read.push(file) });
    loader.load("page.html").generate({ item: "x" });
    loader.load("page.html");
    expect(read.sort()).toEqual(["base.html", "page.html", "parts/item.html", "parts/leaf.txt"].map((name) => join(FIXTURES, name)));
    expect(() => new Loader(FIXTURES, { onFileRead: "watch" as never })).toThrow("onFileRead must be a function");
  });

  it("caches compiled templates until reset()", () => {
    const root = mkdtempSync(join(tmpdir(), "tornado-template-"));
    try {
      writeFileSync(join(root, "a.txt"), "one");
      const loader = new Loader(root);
      const first = loader.load("a.txt");
      expect(first.generate()).toBe("one");
      writeFileSync(join(root, "a.txt"), "two");
      expect(loader.load("a.txt")).toBe(first);
      loader.reset();
      expect(loader.load("a.txt").generate()).toBe("two");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("throws TemplateNotFoundError for a missing file and for names leaving the root", () => {
    const loader = new Loader(FIXTURES);
    expect(() => loader.load("nope.html")).toThrow(TemplateNotFoundError);
    expect(() => loader.load("../package.json")).toThrow(/leaves the loader root/);
  });

  it("applies its autoescape, whitespace and namespace", () => {
    const loader = new DictLoader(
      { "a.html": "  {{ x }}  {{ hi() }}" },
      { autoescape: null, whitespace: "all", namespace: { hi: () => "hi" } },
    );
    expect(loader.load("a.html").generate({ x: "<" })).toBe("  <  hi");
    expect(loader.load("a.html").namespace).toEqual({ hi: expect.any(Function) });
  });
});

describe("DictLoader", () => {
  it("throws TemplateNotFoundError for unknown names", () => {
    const loader = new DictLoader({});
    expect(() => loader.load("x.html")).toThrow(TemplateNotFoundError);
    expect(() => new Template("{% include 'x.html' %}", { loader })).toThrow(/template "x.html" not found/);
  });

  it("resolves names with POSIX rules", () => {
    const loader = new DictLoader({});
    expect(loader.resolvePath("../b/c.html", "a/x.html")).toBe("b/c.html");
    expect(loader.resolvePath("c.html", "<string>")).toBe("c.html");
  });
});

describe("BaseLoader", () => {
  it("supports custom sources", () => {
    class UpperLoader extends BaseLoader {
      created: string[] = [];
      protected createTemplate(name: string): Template {
        this.created.push(name);
        return new Template(`{{ "${name.toUpperCase()}" }}`, { name, loader: this });
      }
    }
    const loader = new UpperLoader();
    expect(loader.load("abc").generate()).toBe("ABC");
    loader.load("abc");
    expect(loader.created).toEqual(["abc"]);
    expect(loader.templates.size).toBe(1);
  });

  it("reports a cycle as a ParseError", () => {
    const loader = new DictLoader({ "a.html": "{% include 'a.html' %}" });
    expect(() => loader.load("a.html")).toThrow(ParseError);
  });
});
