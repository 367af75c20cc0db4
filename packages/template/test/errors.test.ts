import { ParseError, TemplateArgumentError, TemplateNotFoundError, Template, DictLoader, filterWhitespace } from "@tornado/template";

describe("error classes", () => {
  it("carry name, code and fields", () => {
    const parse = new ParseError("bad", "a.html", 3);
    expect([parse.name, parse.code, parse.filename, parse.lineno]).toEqual(["ParseError", "TORNADO_ERR_TEMPLATE_PARSE", "a.html", 3]);
    const missing = new TemplateNotFoundError("x.html", "gone");
    expect([missing.name, missing.code, missing.templateName]).toEqual(["TemplateNotFoundError", "TORNADO_ERR_TEMPLATE_NOT_FOUND", "x.html"]);
    const argument = new TemplateArgumentError("no");
    expect(argument).toBeInstanceOf(TypeError);
    expect(argument.code).toBe("TORNADO_ERR_TEMPLATE_BAD_ARGUMENT");
  });

  it("validate options at the boundary", () => {
    expect(() => new Template(5 as never)).toThrow(TemplateArgumentError);
    expect(() => new Template("x", { whitespace: "tabs" as never })).toThrow(/invalid whitespace mode "tabs"/);
    expect(() => new Template("x", { autoescape: "" })).toThrow(TemplateArgumentError);
    expect(() => new Template("x").generate(null as never)).toThrow(/namespace must be an object/);
    expect(() => new DictLoader({}, { whitespace: "x" as never })).toThrow(TemplateArgumentError);
    expect(() => new DictLoader({}).load("")).toThrow(TemplateArgumentError);
    expect(() => filterWhitespace("x" as never, "")).toThrow(TemplateArgumentError);
  });
});

describe("filterWhitespace (reference 2.6)", () => {
  it("compresses per mode", () => {
    expect(filterWhitespace("single", "  a  \n\n  b\t\tc  ")).toBe(" a\nb c ");
    expect(filterWhitespace("oneline", "  a  \n\n  b\t\tc  ")).toBe(" a b c ");
    expect(filterWhitespace("all", "  a  \n")).toBe("  a  \n");
  });

  it("leaves a text chunk containing <pre> alone", () => {
    expect(new Template("<pre>\n  x\n</pre>   {{ 1 }}   y", { name: "a.html" }).generate()).toBe("<pre>\n  x\n</pre>   1 y");
  });
});
