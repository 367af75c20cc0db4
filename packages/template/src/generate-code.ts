/**
 * Turns parsed template files into the body of a JavaScript render function: straight-line
 * code appending to one string, with extends/block/include resolved here, at compile time,
 * as Tornado does (template._File.generate and the _Node.generate methods).
 */

import { CodeWriter } from "./code-writer";
import { ParseError } from "./errors";
import { filterWhitespace } from "./filter-whitespace";
import type { BlockNode, Clause, CompilableTemplate, ControlNode, Node, ParsedFile } from "./nodes";

/** Autoescape names that mean the built-in xhtml escaper (inlined, fast path). */
const BUILTIN_ESCAPE = new Set(["xhtml_escape", "xhtmlEscape", "escape"]);

export interface GeneratedCode {
  lines: string[];
  locations: Array<string | null>;
  fragments: CodeWriter["fragments"];
  usesModules: boolean;
}

/** Generates the render body of `template` (which may extend others). */
export function generateCode(template: CompilableTemplate, isAsync: boolean): GeneratedCode {
  const ancestors = [...template.ancestors()].reverse();
  const namedBlocks = new Map<string, BlockNode>();
  for (const ancestor of ancestors) findNamedBlocks(ancestor, ancestor.file.body, namedBlocks, []);
  const root = ancestors[0]!;
  const writer = new CodeWriter(root.file, isAsync);
  const generator = new Generator(writer, namedBlocks);
  generator.body(root.file.body);
  writer.flush();
  return { lines: writer.lines, locations: writer.locations, fragments: writer.fragments, usesModules: writer.usesModules };
}

/** Collects `{% block %}` definitions; later ones win. Includes take part. */
function findNamedBlocks(
  template: CompilableTemplate,
  nodes: readonly Node[],
  blocks: Map<string, BlockNode>,
  including: string[],
): void {
  for (const node of nodes) {
    switch (node.kind) {
      case "block":
        blocks.set(node.name, node);
        findNamedBlocks(template, node.body, blocks, including);
        break;
      case "include": {
        const included = template.loadRelative(node.name, node.line);
        if (including.includes(included.name)) break; // a cycle; reported when generating
        findNamedBlocks(included, included.file.body, blocks, [...including, included.name]);
        break;
      }
      case "apply":
        findNamedBlocks(template, node.body, blocks, including);
        break;
      case "control":
        for (const clause of node.clauses) findNamedBlocks(template, clause.body, blocks, including);
        break;
      default:
        break;
    }
  }
}

/** `var x = ...` for plain and destructuring assignments, so Python-style `set` declares. */
function setStatement(code: string): string {
  if (/^[A-Za-z_$][\w$]*\s*=(?!=)/.test(code) || /^[[{]/.test(code)) return `var ${code};`;
  return `${code};`;
}

/** `k, v` and `(k, v)` become `[k, v]`; `x`, `[a, b]` and `{a, b}` stay. */
function loopTarget(target: string): string {
  let text = target.trim();
  if (text.startsWith("(") && text.endsWith(")")) text = text.slice(1, -1).trim();
  if (text.includes(",") && !text.startsWith("[") && !text.startsWith("{")) text = `[${text}]`;
  return text;
}

class Generator {
  readonly #writer: CodeWriter;
  readonly #blocks: Map<string, BlockNode>;

  constructor(writer: CodeWriter, blocks: Map<string, BlockNode>) {
    this.#writer = writer;
    this.#blocks = blocks;
  }

  body(nodes: readonly Node[]): void {
    for (const node of nodes) this.#node(node);
  }

  #node(node: Node): void {
    const writer = this.#writer;
    switch (node.kind) {
      case "text": {
        // Tornado leaves a chunk containing <pre> alone.
        const value = node.value.includes("<pre>") ? node.value : filterWhitespace(node.whitespace, node.value);
        if (value) writer.text(value);
        return;
      }
      case "expression":
        this.#expression(node.code, node.line, node.raw);
        return;
      case "module": {
        writer.usesModules = true;
        // _tt_module throws UnknownModuleError naming a module the namespace lacks.
        const call = `_tt_module(_tt_modules, ${JSON.stringify(node.name)}).${node.name}${node.rest}`;
        writer.fragment(`(${call});`, `{% module ${node.code} %}`, node.line);
        writer.output(`_tt_s(${writer.isAsync ? "await " : ""}${call})`, node.line);
        return;
      }
      case "set":
        writer.fragment(setStatement(node.code), `{% set ${node.code} %}`, node.line);
        writer.statement(setStatement(node.code), node.line);
        return;
      case "break":
      case "continue": {
        const label = node.kind === "break" ? writer.loops[writer.loops.length - 1] : null;
        writer.statement(label ? `break ${label};` : `${node.kind};`, node.line);
        return;
      }
      case "extends":
        return;
      case "include":
        this.#include(node.name, node.line);
        return;
      case "block":
        this.#block(node);
        return;
      case "apply":
        this.#apply(node.code, node.body, node.line);
        return;
      case "control":
        this.#control(node);
        return;
    }
  }

  #expression(code: string, line: number, raw: boolean): void {
    const writer = this.#writer;
    const tag = raw ? `{% raw ${code} %}` : `{{ ${code} }}`;
    writer.fragment(`(${code});`, tag, line);
    const autoescape = raw ? null : writer.currentFile.autoescape;
    if (autoescape === null) writer.output(`_tt_s(${code})`, line);
    else if (BUILTIN_ESCAPE.has(autoescape)) writer.output(`_tt_e(${code})`, line);
    else writer.output(`_tt_s(${autoescape}(_tt_s(${code})))`, line);
  }

  #include(name: string, line: number): void {
    const writer = this.#writer;
    const included = writer.currentFile.owner.loadRelative(name, line);
    if (writer.includeStack.some((entry) => entry.file === included.file) || included.file === writer.currentFile) {
      throw new ParseError(`include cycle: ${included.name} includes itself`, writer.currentFile.name, line, {
        source: writer.currentFile.source,
      });
    }
    this.#enter(included.file, line, () => this.body(included.file.body));
  }

  #block(node: BlockNode): void {
    const winner = this.#blocks.get(node.name) ?? node;
    this.#enter(winner.file, node.line, () => this.body(winner.body));
  }

  /** Generates code as if inside `file`, included from the current file at `line`. */
  #enter(file: ParsedFile, line: number, generate: () => void): void {
    const writer = this.#writer;
    writer.includeStack.push({ file: writer.currentFile, line });
    const previous = writer.currentFile;
    writer.currentFile = file;
    try {
      generate();
    } finally {
      writer.currentFile = previous;
      writer.includeStack.pop();
    }
  }

  // The body is a nested function with its own buffer, as Tornado's _tt_applyN: a `set` or a
  // loop variable inside it is local to it, and an error inside it leaves the outer buffer as
  // it was (a try around the apply keeps the output from before it).
  #apply(code: string, body: readonly Node[], line: number): void {
    const writer = this.#writer;
    const awaiting = writer.isAsync ? "await " : "";
    writer.fragment(`(${code});`, `{% apply ${code} %}`, line);
    const render = writer.temp("apply");
    writer.open(`const ${render} = ${writer.isAsync ? "async " : ""}() => {`, line);
    writer.statement('let _tt_buf = "";', null);
    // A break inside apply is rejected by the parser, so no loop label leaks in.
    const loops = writer.loops.splice(0);
    this.body(body);
    writer.loops.push(...loops);
    writer.statement("return _tt_buf;", null);
    writer.close("};");
    writer.output(`_tt_s(${awaiting}(${code})(${awaiting}${render}()))`, line);
  }

  #control(node: ControlNode): void {
    switch (node.operator) {
      case "if":
        return this.#if(node.clauses);
      case "for":
      case "while":
        return this.#loop(node);
      case "try":
        return this.#try(node.clauses);
    }
  }

  #if(clauses: readonly Clause[]): void {
    const writer = this.#writer;
    clauses.forEach((clause, index) => {
      if (clause.operator === "else") {
        writer.close("} else {", true, clause.line);
      } else {
        writer.fragment(`if (${clause.suffix}) {}`, `{% ${clause.operator} ${clause.suffix} %}`, clause.line);
        if (index === 0) writer.open(`if (${clause.suffix}) {`, clause.line);
        else writer.close(`} else if (${clause.suffix}) {`, true, clause.line);
      }
      this.body(clause.body);
    });
    writer.close();
  }

  #loop(node: ControlNode): void {
    const writer = this.#writer;
    const [loop, orElse] = node.clauses as [Clause, Clause | undefined];
    // for/while ... else: the else body sits after the loop inside a labelled block, and
    // break leaves the whole block, so else runs only when the loop did not break.
    const label = orElse ? writer.temp("loop") : null;
    if (label) writer.open(`${label}: {`, null);
    if (node.operator === "for") {
      const match = /^([\s\S]+?)\s+(?:in|of)\s+([\s\S]+)$/.exec(loop.suffix);
      if (!match) {
        throw new ParseError(`for needs "target in iterable", got ${JSON.stringify(loop.suffix)}`, writer.currentFile.name, loop.line, {
          source: writer.currentFile.source,
        });
      }
      const head = `for (var ${loopTarget(match[1]!)} of _tt_iter(${match[2]!}))`;
      writer.fragment(`${head} {}`, `{% for ${loop.suffix} %}`, loop.line);
      writer.open(`${head} {`, loop.line);
    } else {
      writer.fragment(`while (${loop.suffix}) {}`, `{% while ${loop.suffix} %}`, loop.line);
      writer.open(`while (${loop.suffix}) {`, loop.line);
    }
    writer.loops.push(label);
    this.body(loop.body);
    writer.loops.pop();
    writer.close();
    if (orElse) {
      this.body(orElse.body);
      writer.close();
    }
  }

  #try(clauses: readonly Clause[]): void {
    const writer = this.#writer;
    const excepts = clauses.filter((clause) => clause.operator === "except");
    const orElse = clauses.find((clause) => clause.operator === "else");
    const final = clauses.find((clause) => clause.operator === "finally");
    const ok = orElse ? writer.temp("ok") : null;
    if (final) writer.open("try {", clauses[0]!.line);
    if (ok) writer.statement(`var ${ok} = false;`, null);
    if (excepts.length > 0) {
      writer.open("try {", clauses[0]!.line);
      this.body(clauses[0]!.body);
      if (ok) writer.statement(`${ok} = true;`, null);
      const caught = writer.temp("error");
      writer.close(`} catch (${caught}) {`, true);
      this.#excepts(excepts, caught);
      writer.close();
      if (orElse && ok) {
        writer.open(`if (${ok}) {`, orElse.line);
        this.body(orElse.body);
        writer.close();
      }
    } else {
      this.body(clauses[0]!.body);
    }
    if (final) {
      writer.close("} finally {", true, final.line);
      this.body(final.body);
      writer.close();
    }
  }

  #excepts(excepts: readonly Clause[], caught: string): void {
    const writer = this.#writer;
    let opened = false;
    let catchAll = false;
    for (const clause of excepts) {
      const match = /^([\s\S]*?)(?:\s+as\s+([A-Za-z_$][\w$]*))?$/.exec(clause.suffix)!;
      let classes = match[1]!.trim();
      if (classes.startsWith("(") && classes.endsWith(")")) classes = classes.slice(1, -1);
      const binding = match[2] ? `var ${match[2]} = ${caught}; ` : "";
      if (classes === "") {
        if (opened) writer.close("} else {", true, clause.line);
        else writer.open("{", clause.line);
        catchAll = true;
      } else {
        const test = `_tt_matches(${caught}, [${classes}])`;
        writer.fragment(`[${classes}];`, `{% except ${clause.suffix} %}`, clause.line);
        if (opened) writer.close(`} else if (${test}) {`, true, clause.line);
        else writer.open(`if (${test}) {`, clause.line);
      }
      opened = true;
      if (binding) writer.statement(binding, clause.line);
      this.body(clause.body);
      if (catchAll) break;
    }
    if (!catchAll) writer.close(`} else { throw ${caught}; }`);
    else writer.close();
  }
}
