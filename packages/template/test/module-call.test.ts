// The parse of {% module %} expressions: the name, and Tornado's keyword arguments rewritten
// to one trailing object.
import { parseModuleCall } from "../src/module-call";

describe("parseModuleCall", () => {
  it.each([
    ["linkify(message)", { name: "linkify", rest: "(message)" }],
    ["Template('entry.html', entry=e)", { name: "Template", rest: "('entry.html', { \"entry\": (e) })" }],
    ["Template(\"a,b=c.html\", entry=e, show=True)", { name: "Template", rest: '("a,b=c.html", { "entry": (e), "show": (True) })' }],
    ["Entry(x, opts={a: 1, b: [2, 3]},)", { name: "Entry", rest: '(x, { "opts": ({a: 1, b: [2, 3]}) })' }],
    ["Entry(`${a}, b=${c}`, k=`x`)", { name: "Entry", rest: '(`${a}, b=${c}`, { "k": (`x`) })' }],
    ["Entry(a === b, f => f)", { name: "Entry", rest: "(a === b, f => f)" }],
    ["Entry", { name: "Entry", rest: "" }],
    ["Entry(k=1).trim()", { name: "Entry", rest: '({ "k": (1) }).trim()' }],
    ["Entry(unbalanced", { name: "Entry", rest: "(unbalanced" }],
  ])("%s", (expression, expected) => {
    expect(parseModuleCall(expression)).toEqual(expected);
  });

  it("refuses a positional argument after a keyword one, and an expression without a name", () => {
    expect(parseModuleCall("Entry(a=1, b)")).toBe("positional argument follows keyword argument in {% module Entry(a=1, b) %}");
    expect(parseModuleCall("(x)")).toMatch(/^module needs a module name/);
  });
});
