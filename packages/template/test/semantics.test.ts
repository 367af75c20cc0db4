// The decisions where Python semantics do not carry over (ARCHITECTURE decision 2 and the
// README's "Semantics" section), each pinned.
import { DictLoader, ParseError, Template, UnknownModuleError } from "@tornado/template";

const render = (source: string, namespace: Record<string, unknown> = {}) => new Template(source).generate(namespace);

describe("output rule (ARCHITECTURE decision 2)", () => {
  it("prints null and undefined as empty, Buffers as UTF-8, others with String()", () => {
    expect(render("[{{ a }}][{{ b }}]", { a: null, b: undefined })).toBe("[][]");
    expect(render("{{ a }}", { a: Buffer.from("h\u00e9") })).toBe("h\u00e9");
    expect(render("{{ a }}", { a: new Uint8Array([0x3c]) })).toBe("&lt;");
    expect(render("{{ a }}|{{ b }}|{{ c }}|{{ d }}", { a: true, b: 0, c: [1, "<"], d: 12n })).toBe("true|0|1,&lt;|12");
    expect(render("{{ a }}", { a: { toString: () => "<obj>" } })).toBe("&lt;obj&gt;");
    expect(render("{% raw a %}{% raw b %}", { a: null, b: Buffer.from("<") })).toBe("<");
  });

  it("escapes once per expression: no SafeString, escape() inside {{ }} double-escapes", () => {
    expect(render("{{ escape(x) }}", { x: "<" })).toBe("&amp;lt;");
    expect(render("{% raw escape(x) %}", { x: "<" })).toBe("&lt;");
  });
});

describe("for", () => {
  it("iterates values like Python, any iterable", () => {
    expect(render("{% for x in xs %}{{ x }},{% end %}", { xs: ["a", "b"] })).toBe("a,b,");
    expect(render("{% for c in 'ab' %}{{ c }}.{% end %}")).toBe("a.b.");
    expect(render("{% for x in xs %}{{ x }}{% end %}", { xs: new Set([1, 2]) })).toBe("12");
    expect(render("{% for x in gen() %}{{ x }}{% end %}", { *gen() { yield 1; yield 2; } })).toBe("12");
  });

  it("destructures `for k, v in pairs`, `(k, v)` and `[k, v]`", () => {
    const pairs = [["a", 1], ["b", 2]];
    expect(render("{% for k, v in pairs %}{{ k }}={{ v }};{% end %}", { pairs })).toBe("a=1;b=2;");
    expect(render("{% for (k, v) in pairs %}{{ k }}={{ v }};{% end %}", { pairs })).toBe("a=1;b=2;");
    expect(render("{% for [k, v] in pairs %}{{ k }}={{ v }};{% end %}", { pairs })).toBe("a=1;b=2;");
    expect(render("{% for i, x in xs.entries() %}{{ i }}:{{ x }} {% end %}", { xs: ["a", "b"] })).toBe("0:a 1:b ");
    expect(render("{% for k, v in m %}{{ k }}={{ v }};{% end %}", { m: new Map([["x", 1]]) })).toBe("x=1;");
    expect(render("{% for k, v in Object.entries(o) %}{{ k }}={{ v }};{% end %}", { o: { a: 1 } })).toBe("a=1;");
  });

  it("walks a plain object's keys, as Python walks a dict", () => {
    expect(render("{% for k in o %}{{ k }},{% end %}", { o: { a: 1, b: 2 } })).toBe("a,b,");
  });

  it("raises TypeError on null or a number", () => {
    expect(() => render("{% for x in xs %}{% end %}", { xs: null })).toThrow(TypeError);
    expect(() => render("{% for x in xs %}{% end %}", { xs: 5 })).toThrow(/number is not iterable/);
  });

  it("keeps for-else: else runs unless the loop broke", () => {
    const template = new Template("{% for x in xs %}{% if x == stop %}{% break %}{% end %}{{ x }}{% else %}E{% end %}");
    expect(template.generate({ xs: [1, 2, 3], stop: 9 })).toBe("123E");
    expect(template.generate({ xs: [1, 2, 3], stop: 2 })).toBe("1");
    expect(template.generate({ xs: [], stop: 2 })).toBe("E");
  });

  it("a break in the else clause belongs to the outer loop", () => {
    const source =
      "{% for a in outer %}[{% for b in inner %}{{ b }}{% else %}{% if a == 2 %}{% break %}{% end %}e{% end %}]{% end %}";
    expect(render(source, { outer: [1, 2, 3], inner: [0] })).toBe("[0e][0");
  });

  it("loop variables survive the loop, as in Python", () => {
    expect(render("{% for x in [1, 2] %}{% end %}{{ x }}")).toBe("2");
  });
});

describe("while, set, try", () => {
  it("while with else and continue", () => {
    const source = "{% set n = 0 %}{% while n < 5 %}{% set n += 1 %}{% if n == 2 %}{% continue %}{% end %}{{ n }}{% else %}!{% end %}";
    expect(render(source)).toBe("1345!");
  });

  it("set declares (var), assigns and destructures", () => {
    expect(render("{% set a = 1 %}{% set a = a + 1 %}{{ a }}")).toBe("2");
    expect(render("{% set n = n - 1 %}{{ n }}", { n: 5 })).toBe("4");
    expect(render("{% set [a, b] = [1, 2] %}{{ a + b }}")).toBe("3");
    expect(render("{% set {x} = o %}{{ x }}", { o: { x: "y" } })).toBe("y");
    expect(render("{% set o.k = 3 %}{{ o.k }}", { o: {} })).toBe("3");
  });

  it("except with classes, as-binding, else and finally", () => {
    const source =
      "{% try %}{{ f() }}{% except TypeError as e %}T:{{ e.message }}{% except (RangeError, SyntaxError) %}R" +
      "{% else %}ok{% finally %};{% end %}";
    expect(render(source, { f: () => "v" })).toBe("vok;");
    expect(render(source, { f: () => { throw new TypeError("bad"); } })).toBe("T:bad;");
    expect(render(source, { f: () => { throw new RangeError("r"); } })).toBe("R;");
    expect(() => render(source, { f: () => { throw new Error("other"); } })).toThrow("other");
  });

  it("try/finally without except", () => {
    const template = new Template("{% try %}a{{ f() }}{% finally %}F{% end %}");
    expect(template.generate({ f: () => "b" })).toBe("abF");
    expect(() => template.generate({ f: () => { throw new Error("x"); } })).toThrow("x");
  });
});

describe("namespace", () => {
  it("offers Tornado's helpers under both names", () => {
    expect(render("{{ xhtmlEscape('<') }}{{ urlEscape('a b') }}{{ jsonEncode(1) }}", {})).toBe("&amp;lt;a+b1");
    expect(render("{% raw url_escape('a b', false) %}")).toBe("a%20b");
  });

  it("lets generate's names override the loader's, which override the defaults", () => {
    const loader = new DictLoader({ "a.html": "{{ squeeze }}/{{ who }}" }, { namespace: { squeeze: "L", who: "loader" } });
    expect(loader.load("a.html").generate()).toBe("L/loader");
    expect(loader.load("a.html").generate({ who: "call" })).toBe("L/call");
  });

  it("renders with several namespace shapes", () => {
    const template = new Template("{{ typeof a === 'undefined' ? '-' : a }}{{ typeof b === 'undefined' ? '-' : b }}");
    expect(template.generate({ a: 1 })).toBe("1-");
    expect(template.generate({ b: 2 })).toBe("-2");
    expect(template.generate({ a: 1, b: 2 })).toBe("12");
    expect(template.generate({ a: 3 })).toBe("3-");
  });

  it("skips keys that cannot be variables", () => {
    expect(render("{{ x }}", { x: 1, "not-an-id": 2, class: 3 })).toBe("1");
  });

  it("uses JavaScript truthiness ([] is true)", () => {
    expect(render("{% if xs %}yes{% else %}no{% end %}", { xs: [] })).toBe("yes");
    expect(render("{% if xs.length %}yes{% else %}no{% end %}", { xs: [] })).toBe("no");
  });
});

describe("namespace names", () => {
  it("reads only the names the template uses: a getter for an unused name never runs", () => {
    let reads = 0;
    const namespace = {
      title: "T",
      get expensive() {
        reads++;
        return "E";
      },
    };
    expect(render("{{ title }}", namespace)).toBe("T");
    expect(reads).toBe(0);
    expect(render("{{ title }} {{ expensive }}", namespace)).toBe("T E");
    expect(reads).toBe(1);
    // An unknown name is still a ReferenceError (Python's NameError).
    expect(() => render("{{ missing }}", namespace)).toThrow(ReferenceError);
  });
});

describe("module", () => {
  it("calls _tt_modules.<expr> and prints it unescaped", () => {
    const template = new Template("{% module Box('<b>') %}");
    const _tt_modules = { Box: (html: string) => `<div>${html}</div>` };
    expect(template.generate({ _tt_modules })).toBe("<div><b></div>");
  });

  it("an unknown module is UnknownModuleError naming it and the modules there are, located in the template", () => {
    const loader = new DictLoader({ "page.html": "<p>\n{% module Missing(1) %}</p>" });
    const _tt_modules = { Box: () => "", Template: () => "" };
    let error: unknown;
    try {
      loader.load("page.html").generate({ _tt_modules });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownModuleError);
    expect((error as UnknownModuleError).moduleName).toBe("Missing");
    expect((error as Error).message).toBe('{% module Missing %}: no module named "Missing" (modules: Box, Template)');
    expect((error as Error).stack).toContain("at template page.html:2");
    // A bare name, as Tornado writes `{% module foo %}`, is checked too (it printed "" before).
    expect(() => render("{% module foo %}", { _tt_modules })).toThrow(UnknownModuleError);
    expect(() => render("{% module foo %}")).toThrow('{% module foo %}: the namespace has no modules (_tt_modules)');
  });

  it("keyword arguments as Tornado writes them become one trailing object (Python's **kwargs)", () => {
    const _tt_modules = { Echo: (...args: unknown[]) => JSON.stringify(args) };
    const echo = (source: string, namespace: Record<string, unknown> = {}) => render(source, { _tt_modules, ...namespace });
    expect(echo('{% module Echo("x.html", message=message) %}', { message: "hi" })).toBe('["x.html",{"message":"hi"}]');
    expect(echo("{% module Echo(a, b=a + 1, c = [1, 2], d=f(1, 2)) %}", { a: 1, f: (x: number, y: number) => x * y })).toBe(
      '[1,{"b":2,"c":[1,2],"d":2}]',
    );
    // JavaScript's own forms are left alone: comparisons, arrows, an explicit object.
    expect(echo("{% module Echo(a == 1, (x) => x, { k: 1 }) %}", { a: 1 })).toBe('[true,null,{"k":1}]');
    expect(() => new Template("{% module Echo(a=1, 2) %}")).toThrow(
      new ParseError("positional argument follows keyword argument in {% module Echo(a=1, 2) %}", "<string>", 1),
    );
  });

  it("needs a module name", () => {
    expect(() => new Template("{% module 'x' %}")).toThrow(/module needs a module name/);
  });
});

describe("template.code", () => {
  it("prints the generated JavaScript with template locations", () => {
    const code = new Template("a{{ x }}\n{% if y %}b{% end %}", { name: "t.html" }).code;
    expect(code).toContain("_tt_e(x)");
    expect(code).toContain("// t.html:1");
    expect(code).toContain("if (y) {  // t.html:2");
  });
});

describe("apply", () => {
  it("an error inside apply caught by try keeps the output before the apply, as Tornado", () => {
    const source =
      "{% try %}a{% apply up %}b{% apply up %}c{{ f() }}{% end %}{% end %}{% except %}!{% end %}z";
    const up = (s: string) => s.toUpperCase();
    expect(render(source, { up, f: () => "d" })).toBe("aBCDz");
    expect(render(source, { up, f: () => { throw new Error("x"); } })).toBe("a!z");
  });

  it("a set inside apply is local to it, as Tornado's nested _tt_apply function", () => {
    const up = (s: string) => s.toUpperCase();
    expect(render("{% set x = 'a' %}{% apply up %}{% set x = 'b' %}{{ x }}{% end %}{{ x }}", { up })).toBe("Ba");
    expect(render("{% apply up %}{% set y = 1 %}{{ y }}{% end %}{{ typeof y }}", { up })).toBe("1undefined");
    // Reading the outer names works (a closure), and so do loop variables inside.
    expect(render("{% set x = 'o' %}{% apply up %}{{ x }}{% for i in [1, 2] %}{{ i }}{% end %}{% end %}", { up })).toBe("O12");
  });

  it("applies in a loop", () => {
    expect(render("{% for x in xs %}{% apply up %}{{ x }}{% end %}{% end %}", { xs: ["a", "b"], up: (s: string) => s.toUpperCase() })).toBe("AB");
  });
});
