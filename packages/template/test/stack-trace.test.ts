// Ported from tornado/test/template_test.py, StackTraceTest: an error thrown while rendering
// names the template file and line (1/0 becomes a call that throws, since 1/0 is Infinity in JS).
import { DictLoader, Template } from "@tornado/template";

function boom(): never {
  throw new Error("boom");
}

function stackOf(render: () => unknown): string {
  try {
    render();
  } catch (error) {
    return (error as Error).stack ?? "";
  }
  throw new Error("expected the render to throw");
}

describe("StackTraceTest (template_test.py)", () => {
  it("test_error_line_number_expression", () => {
    const loader = new DictLoader({ "test.html": "one\ntwo{{boom()}}\nthree\n        " });
    expect(stackOf(() => loader.load("test.html").generate({ boom }))).toContain("test.html:2");
  });

  it("test_error_line_number_directive", () => {
    const loader = new DictLoader({ "test.html": "one\ntwo{%if boom()%}\nthree{%end%}\n        " });
    expect(stackOf(() => loader.load("test.html").generate({ boom }))).toContain("test.html:2");
  });

  it("test_error_line_number_module", () => {
    const loader: DictLoader = new DictLoader(
      { "base.html": "{% module Template('sub.html') %}", "sub.html": "{{boom()}}" },
      { namespace: { _tt_modules: { Template: (path: string) => loader.load(path).generate({ boom }) } } },
    );
    const stack = stackOf(() => loader.load("base.html").generate());
    expect(stack).toContain("base.html:1");
    expect(stack).toContain("sub.html:1");
  });

  it("test_error_line_number_include", () => {
    const loader = new DictLoader({ "base.html": "{% include 'sub.html' %}", "sub.html": "{{boom()}}" });
    expect(stackOf(() => loader.load("base.html").generate({ boom }))).toContain("sub.html:1 (via base.html:1)");
  });

  it("test_error_line_number_extends_base_error", () => {
    const loader = new DictLoader({ "base.html": "{{boom()}}", "sub.html": "{% extends 'base.html' %}" });
    expect(stackOf(() => loader.load("sub.html").generate({ boom }))).toContain("base.html:1");
  });

  it("test_error_line_number_extends_sub_error", () => {
    const loader = new DictLoader({
      "base.html": "{% block 'block' %}{% end %}",
      "sub.html": "\n{% extends 'base.html' %}\n{% block 'block' %}\n{{boom()}}\n{% end %}\n            ",
    });
    expect(stackOf(() => loader.load("sub.html").generate({ boom }))).toContain("sub.html:4 (via base.html:1)");
  });

  it("test_multi_includes", () => {
    const loader = new DictLoader({
      "a.html": "{% include 'b.html' %}",
      "b.html": "{% include 'c.html' %}",
      "c.html": "{{boom()}}",
    });
    expect(stackOf(() => loader.load("a.html").generate({ boom }))).toContain("c.html:1 (via b.html:1, a.html:1)");
  });

  it("rethrows the original error object, with its class", () => {
    class MyError extends Error {}
    const template = new Template("x{{ f() }}");
    let caught: unknown;
    try {
      template.generate({ f: () => { throw new MyError("mine"); } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MyError);
    expect((caught as Error).message).toBe("mine");
    expect((caught as Error).stack).toContain("at template <string>:1");
  });

  it("names the line of a ReferenceError (an undefined name)", () => {
    const stack = stackOf(() => new Template("a\nb\n{{ missing }}").generate());
    expect(stack).toMatch(/ReferenceError: missing is not defined/);
    expect(stack).toContain("<string>:3");
  });

  it("names the template line in generateAsync too", async () => {
    const template = new Template("a\n{{ await f() }}", { name: "async.html" });
    const error = await template
      .generateAsync({ f: async () => { await Promise.resolve(); throw new Error("later"); } })
      .catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe("later");
    expect((error as Error).stack).toContain("at template async.html:2");
  });
});
