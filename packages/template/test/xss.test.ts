// What autoescape (xhtml_escape, the default) protects, context by context, and what it does
// not. The "not protected" rows pin the documented gaps (README, "What autoescape does not
// protect"): each shows the attack surviving, so a change in behaviour is noticed.
import { xhtmlUnescape } from "@tornado/escape";
import { Template } from "@tornado/template";

const render = (source: string, x: unknown) => new Template(source).generate({ x });

const TEXT_PAYLOADS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "</p><svg onload=alert(1)>",
  "<!-- comment -->",
  "&lt;already escaped&gt;",
];

describe("protected by autoescape", () => {
  it.each(TEXT_PAYLOADS)("text content: %j cannot open a tag", (payload) => {
    const output = render("<p>{{ x }}</p>", payload);
    expect(output.slice(3, -4)).not.toMatch(/[<>]/);
    expect(xhtmlUnescape(output.slice(3, -4))).toBe(payload);
  });

  it.each([`" onmouseover="alert(1)`, `"><script>alert(1)</script>`, `x" autofocus onfocus="alert(1)`])(
    "double-quoted attribute: %j cannot close the quote",
    (payload) => {
      const output = render('<a title="{{ x }}">', payload);
      const value = output.slice('<a title="'.length, -2);
      expect(value).not.toMatch(/["<>]/);
      expect(xhtmlUnescape(value)).toBe(payload);
    },
  );

  it.each([`' onmouseover='alert(1)`, `'><script>alert(1)</script>`])(
    "single-quoted attribute: %j cannot close the quote",
    (payload) => {
      const output = render("<a title='{{ x }}'>", payload);
      const value = output.slice("<a title='".length, -2);
      expect(value).not.toMatch(/['<>]/);
      expect(xhtmlUnescape(value)).toBe(payload);
    },
  );

  it.each([`"; alert(1); "`, "</script><script>alert(1)</script>"])(
    "quoted JS string in <script> with {{ }}: %j cannot end the string or the element (the value arrives entity-encoded)",
    (payload) => {
      const output = render('<script>var s = "{{ x }}";</script>', payload);
      const inside = output.slice('<script>var s = "'.length, -'";</script>'.length);
      expect(inside).not.toMatch(/["<]/);
      expect(output.indexOf("</script")).toBe(output.length - "</script>".length);
    },
  );

  it.each([
    { s: "</script><script>alert(1)</script>" },
    { s: "<!--<script>" },
    ["\u2028", "\u2029", "</SCRIPT>"],
  ])("<script> data with {%% raw json_encode(x) %%}: %j stays data", (value) => {
    const output = render("<script>var data = {% raw json_encode(x) %};</script>", value);
    const inside = output.slice("<script>var data = ".length, -";</script>".length);
    expect(inside).not.toMatch(/<\//);
    expect(JSON.parse(inside)).toEqual(value);
  });
});

describe("not protected by autoescape (documented)", () => {
  it("unquoted attribute: a space starts a new attribute", () => {
    const output = render("<a title={{ x }}>", "x onmouseover=alert(1)");
    expect(output).toBe("<a title=x onmouseover=alert(1)>");
  });

  it("URL attributes: javascript: URLs pass unchanged (use urlEscape or check the scheme)", () => {
    expect(render('<a href="{{ x }}">', "javascript:alert(1)")).toBe('<a href="javascript:alert(1)">');
  });

  it("event-handler attributes: the browser decodes entities before running the JavaScript", () => {
    const output = render(`<a onclick="f('{{ x }}')">`, "');alert(1);//");
    const attribute = output.slice('<a onclick="'.length, -2);
    expect(attribute).toBe("f('&#x27;);alert(1);//')");
    expect(xhtmlUnescape(attribute)).toBe("f('');alert(1);//')");
  });

  it("JavaScript template literals and unquoted script contexts", () => {
    expect(render("<script>var s = `{{ x }}`;</script>", "${alert(1)}")).toBe("<script>var s = `${alert(1)}`;</script>");
    expect(render("<script>var n = {{ x }};</script>", "alert(1)")).toBe("<script>var n = alert(1);</script>");
  });

  it("CSS contexts", () => {
    expect(render("<div style=\"background: url({{ x }})\">", "javascript:alert(1)")).toContain("url(javascript:alert(1))");
  });

  it("{{ json_encode(x) }} inside <script> is double-encoded, not an attack but wrong: use raw", () => {
    expect(render("<script>var d = {{ json_encode(x) }};</script>", { a: 1 })).toBe(
      "<script>var d = {&quot;a&quot;:1};</script>",
    );
  });

  it("raw, autoescape None and apply output are not escaped at all", () => {
    expect(render("{% raw x %}", "<script>")).toBe("<script>");
    expect(render("{% autoescape None %}{{ x }}", "<script>")).toBe("<script>");
    expect(new Template("{% apply f %}{{ x }}{% end %}").generate({ x: "<b>", f: xhtmlUnescape })).toBe("<b>");
  });
});
