// Ported from tornado/test/template_test.py, ParseErrorDetailTest, plus the messages of
// reference 3.1 ("ParseError messages for the listed inputs").
import { DictLoader, ParseError, Template } from "@tornado/template";

function parseError(source: string): ParseError {
  try {
    new Template(source);
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
  throw new Error(`expected a ParseError for ${source}`);
}

describe("ParseErrorDetailTest (template_test.py)", () => {
  it("test_details", () => {
    const loader = new DictLoader({ "foo.html": "\n\n{{" });
    let error: ParseError | undefined;
    try {
      loader.load("foo.html");
    } catch (caught) {
      error = caught as ParseError;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect(error!.message).toBe("Missing end expression }} at foo.html:3");
    expect(error!.filename).toBe("foo.html");
    expect(error!.lineno).toBe(3);
    expect(error!.reason).toBe("Missing end expression }}");
    expect(error!.code).toBe("TORNADO_ERR_TEMPLATE_PARSE");
  });

  it("test_custom_parse_error: without a location the message is the reason alone", () => {
    // Python prints "asdf at None:0"; the port leaves out an unknown location.
    expect(String(new ParseError("asdf"))).toBe("ParseError: asdf");
    expect(String(new ParseError("asdf", "x.html", 2))).toBe("ParseError: asdf at x.html:2");
  });
});

describe("parse error messages", () => {
  it.each([
    ["{% end %}", "Extra {% end %} block"],
    ["{% if 1 %}", "Missing {% end %} block for if"],
    ["{% foo %}", "unknown operator: 'foo'"],
    ["{%  %}", "Empty block tag ({% %})"],
    ["{{ }}", "Empty expression"],
    ["{# x", "Missing end comment #}"],
    ["{% x", "Missing end block %}"],
    ["{% extends %}", "extends missing file path"],
    ["{% block %}{% end %}", "block missing name"],
    ["{% apply %}{% end %}", "apply missing method name"],
    ["{% set %}", "set missing statement"],
    ["{% include %}", "include missing file path"],
    ["{% for x in y %}{% except %}{% end %}", "except block cannot be attached to for block"],
    ["{% else %}", "else outside {'if', 'for', 'while', 'try'} block"],
    ["{% break %}", "break outside {'for', 'while'} block"],
    ["{% continue %}", "continue outside {'for', 'while'} block"],
  ])("%j -> %s at <string>:1", (source, reason) => {
    const error = parseError(source);
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`${reason} at <string>:1`);
  });

  it("explains that import and from have no JavaScript meaning", () => {
    expect(parseError("{% import os %}").message).toMatch(/Python-only.*pass the modules or functions in the namespace/);
    expect(parseError("\n{% from a import b %}").lineno).toBe(2);
  });

  it("names the tag whose JavaScript does not compile", () => {
    const error = parseError("line one\n{{ a + }}");
    expect(error.message).toMatch(/^invalid JavaScript in \{\{ a \+ \}\}: .* at <string>:2$/);
    expect(parseError("{% if ( %}{% end %}").message).toMatch(/invalid JavaScript in \{% if \( %\}/);
    expect(parseError("{% for x in %}{% end %}").message).toMatch(/for needs "target in iterable"/);
  });

  it("reports a syntax error in an included file at that file", () => {
    const loader = new DictLoader({ "a.html": "{% include 'b.html' %}", "b.html": "\n{{ ) }}" });
    expect(() => loader.load("a.html")).toThrow(/at b\.html:2$/);
  });

  it("tells to use generateAsync when a template awaits", async () => {
    const template = new Template("{{ await f() }}");
    expect(() => template.generate({ f: async () => 1 })).toThrow(/generateAsync/);
    await expect(template.generateAsync({ f: async () => 1 })).resolves.toBe("1");
  });

  it("needs a loader for extends and include", () => {
    expect(parseError("{% extends 'a.html' %}").message).toBe("{% extends %} block found, but no template loader at <string>:1");
    expect(parseError("{% include 'a.html' %}").message).toBe("{% include %} block found, but no template loader at <string>:1");
  });

  it("detects extends and include cycles", () => {
    const loader = new DictLoader({
      "a.html": "{% extends 'b.html' %}",
      "b.html": "{% extends 'a.html' %}",
      "self.html": "{% include 'self.html' %}",
    });
    expect(() => loader.load("a.html")).toThrow(/template cycle: a\.html -> b\.html -> a\.html/);
    expect(() => loader.load("self.html")).toThrow(ParseError);
  });

  it("validates clause order", () => {
    expect(parseError("{% if a %}{% else %}{% elif b %}{% end %}").reason).toMatch(/elif block cannot follow else/);
    expect(parseError("{% try %}{% end %}").reason).toMatch(/needs an except or finally/);
    expect(parseError("{% while a %}{% else %}{% else %}{% end %}").reason).toMatch(/cannot follow else/);
    expect(parseError("{% whitespace tabs %}").reason).toMatch(/invalid whitespace mode "tabs"/);
  });
});

describe("the template's own text in a ParseError", () => {
  function caught(load: () => unknown): ParseError {
    try {
      load();
    } catch (error) {
      if (error instanceof ParseError) return error;
      throw error;
    }
    throw new Error("expected a ParseError");
  }

  it("quotes the offending line under the message, before the JavaScript frames", () => {
    const loader = new DictLoader({ "page.html": "<h1>Hi</h1>\r\n<p>{{ user.name </p>\r\n" });
    const error = caught(() => loader.load("page.html"));
    expect(error.sourceLine).toBe("<p>{{ user.name </p>");
    expect(error.message).toBe("Missing end expression }} at page.html:2");
    expect(error.stack!.split("\n").slice(0, 3)).toEqual([
      "ParseError: Missing end expression }} at page.html:2",
      "    page.html:2 | <p>{{ user.name </p>",
      expect.stringMatching(/^ {4}at /),
    ]);
  });

  it("quotes the line of the included file whose JavaScript does not compile", () => {
    const loader = new DictLoader({ "a.html": "x\n{% include 'b.html' %}", "b.html": "one\n\t{% if user. %}{% end %}\n" });
    const error = caught(() => loader.load("a.html"));
    expect(error).toMatchObject({ filename: "b.html", lineno: 2, sourceLine: "\t{% if user. %}{% end %}" });
    expect(error.stack).toContain("\n    b.html:2 | {% if user. %}{% end %}\n");
  });

  it("quotes the line for errors found while generating code, and cuts long lines", () => {
    expect(caught(() => new Template("a\n{% for x %}{% end %}")).stack).toContain("\n    <string>:2 | {% for x %}{% end %}\n");
    expect(caught(() => new Template("{% include 'x.html' %}")).sourceLine).toBe("{% include 'x.html' %}");
    const long = caught(() => new Template(`${"y".repeat(300)}{{`));
    expect(long.stack).toContain(`<string>:1 | ${"y".repeat(160)}...\n`);
  });

  it("has no quoted line when there is no location", () => {
    const error = new ParseError("asdf");
    expect(error.sourceLine).toBeNull();
    expect(error.stack!.split("\n")[1]).toMatch(/^ {4}at /);
  });
});
