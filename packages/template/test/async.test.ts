// generateAsync: expressions may await (Tornado issue: async templates, PR #1311 declined
// upstream; the port offers it).
import { DictLoader, Template } from "@tornado/template";

const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)));

describe("generateAsync", () => {
  it("awaits in expressions, conditions, loops and set", async () => {
    const template = new Template(
      "{{ await user() }}{% if await flag() %}!{% end %}{% for x in await list() %}[{{ x }}]{% end %}" +
        "{% set n = await later(3) %}{{ n }}",
    );
    const output = await template.generateAsync({
      user: () => later("<ann>"),
      flag: () => later(true),
      list: () => later([1, 2]),
      later,
    });
    expect(output).toBe("&lt;ann&gt;![1][2]3");
  });

  it("awaits module and apply results", async () => {
    const template = new Template("{% module Slow('x') %}{% apply up %}abc{% end %}");
    const output = await template.generateAsync({
      _tt_modules: { Slow: (value: string) => later(`<${value}>`) },
      up: (text: string) => later(text.toUpperCase()),
    });
    expect(output).toBe("<x>ABC");
  });

  it("renders templates without await too, across extends and include", async () => {
    const loader = new DictLoader({
      "base.html": "<{% block b %}{% end %}>",
      "page.html": "{% extends 'base.html' %}{% block b %}{% include 'inc.html' %}{% end %}",
      "inc.html": "{{ await v }}",
    });
    await expect(loader.load("page.html").generateAsync({ v: later("z") })).resolves.toBe("<z>");
  });

  it("rejects with the original error", async () => {
    const template = new Template("{{ await f() }}");
    await expect(template.generateAsync({ f: () => Promise.reject(new RangeError("nope")) })).rejects.toThrow(RangeError);
  });
});
