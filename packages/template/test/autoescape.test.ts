// Ported from tornado/test/template_test.py, AutoEscapeTest.
import { DictLoader, Template } from "@tornado/template";

const TEMPLATES = {
  "escaped.html": "{% autoescape xhtml_escape %}{{ name }}",
  "unescaped.html": "{% autoescape None %}{{ name }}",
  "default.html": "{{ name }}",
  "include.html":
    "escaped: {% include 'escaped.html' %}\nunescaped: {% include 'unescaped.html' %}\ndefault: {% include 'default.html' %}\n",
  "escaped_block.html": "{% autoescape xhtml_escape %}{% block name %}base: {{ name }}{% end %}",
  "unescaped_block.html": "{% autoescape None %}{% block name %}base: {{ name }}{% end %}",
  // Extend a base template with different autoescape policy, with and without overriding the base's blocks.
  "escaped_extends_unescaped.html": '{% autoescape xhtml_escape %}{% extends "unescaped_block.html" %}',
  "escaped_overrides_unescaped.html":
    '{% autoescape xhtml_escape %}{% extends "unescaped_block.html" %}{% block name %}extended: {{ name }}{% end %}',
  "unescaped_extends_escaped.html": '{% autoescape None %}{% extends "escaped_block.html" %}',
  "unescaped_overrides_escaped.html":
    '{% autoescape None %}{% extends "escaped_block.html" %}{% block name %}extended: {{ name }}{% end %}',
  "raw_expression.html": "{% autoescape xhtml_escape %}expr: {{ name }}\nraw: {% raw name %}",
};

describe("AutoEscapeTest (template_test.py)", () => {
  it("test_default_off", () => {
    const loader = new DictLoader(TEMPLATES, { autoescape: null });
    const name = "Bobby <table>s";
    expect(loader.load("escaped.html").generate({ name })).toBe("Bobby &lt;table&gt;s");
    expect(loader.load("unescaped.html").generate({ name })).toBe("Bobby <table>s");
    expect(loader.load("default.html").generate({ name })).toBe("Bobby <table>s");
    expect(loader.load("include.html").generate({ name })).toBe(
      "escaped: Bobby &lt;table&gt;s\nunescaped: Bobby <table>s\ndefault: Bobby <table>s\n",
    );
  });

  it("test_default_on", () => {
    const loader = new DictLoader(TEMPLATES, { autoescape: "xhtml_escape" });
    const name = "Bobby <table>s";
    expect(loader.load("escaped.html").generate({ name })).toBe("Bobby &lt;table&gt;s");
    expect(loader.load("unescaped.html").generate({ name })).toBe("Bobby <table>s");
    expect(loader.load("default.html").generate({ name })).toBe("Bobby &lt;table&gt;s");
    expect(loader.load("include.html").generate({ name })).toBe(
      "escaped: Bobby &lt;table&gt;s\nunescaped: Bobby <table>s\ndefault: Bobby &lt;table&gt;s\n",
    );
  });

  it("test_unextended_block", () => {
    const loader = new DictLoader(TEMPLATES);
    const name = "<script>";
    expect(loader.load("escaped_block.html").generate({ name })).toBe("base: &lt;script&gt;");
    expect(loader.load("unescaped_block.html").generate({ name })).toBe("base: <script>");
  });

  it("test_extended_block: a block uses the autoescape of the file that defines it", () => {
    const loader = new DictLoader(TEMPLATES);
    const render = (name: string) => loader.load(name).generate({ name: "<script>" });
    expect(render("escaped_extends_unescaped.html")).toBe("base: <script>");
    expect(render("escaped_overrides_unescaped.html")).toBe("extended: &lt;script&gt;");
    expect(render("unescaped_extends_escaped.html")).toBe("base: &lt;script&gt;");
    expect(render("unescaped_overrides_escaped.html")).toBe("extended: <script>");
  });

  it("test_raw_expression", () => {
    const loader = new DictLoader(TEMPLATES);
    expect(loader.load("raw_expression.html").generate({ name: '<>&"' })).toBe('expr: &lt;&gt;&amp;&quot;\nraw: <>&"');
  });

  it("test_custom_escape (repr rewritten as JSON.stringify)", () => {
    const loader = new DictLoader({ "foo.py": "{% autoescape py_escape %}s = {{ name }}\n" });
    // The escape function receives a string; non-strings are stringified first.
    const py_escape = (s: string) => {
      expect(typeof s).toBe("string");
      return JSON.stringify(s);
    };
    const render = (name: unknown) => loader.load("foo.py").generate({ name, py_escape });
    expect(render("<html>")).toBe('s = "<html>"\n');
    expect(render("';sys.exit()")).toBe(`s = "';sys.exit()"\n`);
    expect(render(["not a string"])).toBe('s = "not a string"\n');
  });

  it("test_manual_minimize_whitespace", () => {
    const loader = new DictLoader({
      "foo.txt": "{% for i in items\n  %}{% if i > 0 %}, {% end %}{#\n  #}{{i\n  }}{% end\n%}",
    });
    expect(loader.load("foo.txt").generate({ items: [0, 1, 2, 3, 4] })).toBe("0, 1, 2, 3, 4");
  });

  it("test_whitespace_by_filename", () => {
    const loader = new DictLoader({
      "foo.html": "   \n\t\n asdf\t   ",
      "bar.js": " \n\n\n\t qwer     ",
      "baz.txt": "\t    zxcv\n\n",
      "include.html": "  {% include baz.txt %} \n ",
      "include.txt": "\t\t{% include foo.html %}    ",
    });
    expect(loader.load("foo.html").generate()).toBe("\nasdf ");
    expect(loader.load("bar.js").generate()).toBe("\nqwer ");
    expect(loader.load("baz.txt").generate()).toBe("\t    zxcv\n\n");
    expect(loader.load("include.html").generate()).toBe(" \t    zxcv\n\n\n");
    expect(loader.load("include.txt").generate()).toBe("\t\t\nasdf     ");
  });

  it("test_whitespace_by_loader", () => {
    const templates = { "foo.html": "\t\tfoo\n\n", "bar.txt": "\t\tbar\n\n" };
    let loader = new DictLoader(templates, { whitespace: "all" });
    expect(loader.load("foo.html").generate()).toBe("\t\tfoo\n\n");
    expect(loader.load("bar.txt").generate()).toBe("\t\tbar\n\n");
    loader = new DictLoader(templates, { whitespace: "single" });
    expect(loader.load("foo.html").generate()).toBe(" foo\n");
    expect(loader.load("bar.txt").generate()).toBe(" bar\n");
    loader = new DictLoader(templates, { whitespace: "oneline" });
    expect(loader.load("foo.html").generate()).toBe(" foo ");
    expect(loader.load("bar.txt").generate()).toBe(" bar ");
  });

  it("test_whitespace_directive (range(3) passed in)", () => {
    const loader = new DictLoader({
      "foo.html":
        "{% whitespace oneline %}\n    {% for i in range %}\n        {{ i }}\n    {% end %}\n{% whitespace all %}\n    pre\tformatted\n",
    });
    expect(loader.load("foo.html").generate({ range: [0, 1, 2] })).toBe("  0  1  2  \n    pre\tformatted\n");
  });

  it("autoescape as a Template option", () => {
    expect(new Template("{{ x }}", { autoescape: null }).generate({ x: "<" })).toBe("<");
    expect(new Template("{{ x }}", { autoescape: "up" }).generate({ x: "a", up: (s: string) => s.toUpperCase() })).toBe("A");
  });
});
