/**
 * Turns generated code into callable render functions: one JavaScript function per distinct
 * set of namespace names (the names become local variables, so expressions read them
 * directly), cached; and maps errors thrown while rendering back to template lines.
 */

/* eslint-disable @typescript-eslint/no-implied-eval -- compiling generated code is what this file is for, as Tornado exec()s it */
import { ParseError } from "./errors";
import type { GeneratedCode } from "./generate-code";
import { RUNTIME } from "./runtime";

export type RenderFunction = (args: Record<string, unknown>) => string | Promise<string>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
// Words that cannot be declared as variables in strict code; such namespace keys are not
// reachable from expressions and are skipped.
const RESERVED = new Set(
  (
    "await break case catch class const continue debugger default delete do else enum eval export " +
    "extends false finally for function if implements import in instanceof interface let new null " +
    "package private protected public return static super switch this throw true try typeof var " +
    "void while with yield arguments undefined NaN Infinity"
  ).split(" "),
);

/** Whether a namespace key can become a local variable of the render function. */
function declarable(key: string): boolean {
  return IDENTIFIER.test(key) && !RESERVED.has(key) && !key.startsWith("_tt_");
}

/**
 * Every word of the generated code that could name a variable (a superset: property names
 * and words inside strings are in it too). A namespace key outside it is never read, so a
 * getter in the namespace (`currentUser`, `locale`) runs only for a template that uses it.
 */
function usedNames(lines: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const line of lines) for (const word of line.match(/[A-Za-z_$][\w$]*/g) ?? []) names.add(word);
  return names;
}

const PROLOGUE_LINES = 6;
const MAX_SHAPES = 64;
let nextId = 0;

// How many lines V8 puts before the body of a `new Function` (its "function anonymous(" header).
const WRAPPER_OFFSET = (() => {
  const probe = new Function('"use strict";\nreturn new Error().stack;\n//# sourceURL=tornado-template-probe') as () => string;
  const stack = probe();
  const match = /tornado-template-probe:(\d+):\d+/.exec(stack);
  return match ? Number(match[1]) - 2 : 2;
})();

/** The compiled form of one template in one mode (sync or async). */
export class CompiledRender {
  readonly id = ++nextId;
  readonly name: string;
  readonly isAsync: boolean;
  readonly #generated: GeneratedCode;
  readonly #staticNamespace: Record<string, unknown>;
  readonly #staticKeys: string[];
  readonly #usedNames: Set<string>;
  readonly #shapes = new Map<string, RenderFunction>();
  #lastKeys: string[] | null = null;
  #lastFunction: RenderFunction | null = null;

  constructor(name: string, generated: GeneratedCode, staticNamespace: Record<string, unknown>, isAsync: boolean) {
    this.name = name;
    this.#generated = generated;
    this.isAsync = isAsync;
    this.#staticNamespace = staticNamespace;
    this.#usedNames = usedNames(generated.lines);
    this.#staticKeys = Object.keys(staticNamespace).filter((key) => declarable(key) && this.#usedNames.has(key));
  }

  /** The full source of the render function for a namespace with these argument names. */
  source(argumentKeys: readonly string[]): string {
    const generated = this.#generated;
    const modules = generated.usesModules
      ? 'var _tt_modules = _tt_args._tt_modules !== undefined ? _tt_args._tt_modules : _tt_static._tt_modules;'
      : ";";
    const prologue = [
      '"use strict";',
      `const { ${this.#staticKeys.join(", ")} } = _tt_static;`,
      "const _tt_s = _tt_h.s, _tt_e = _tt_h.e, _tt_iter = _tt_h.iter, _tt_matches = _tt_h.matches, _tt_module = _tt_h.module;",
      `return ${this.isAsync ? "async " : ""}function render(_tt_args) {`,
      `  var { ${argumentKeys.filter((key) => declarable(key) && this.#usedNames.has(key)).join(", ")} } = _tt_args; ${modules}`,
      '  let _tt_buf = "";',
    ];
    return [
      ...prologue,
      ...generated.lines,
      "  return _tt_buf;",
      "};",
      `//# sourceURL=tornado-template/${this.id}/${this.name.replace(/[^\w./-]/g, "_")}`,
    ].join("\n");
  }

  /** The render function for `args` (compiled on the first use of its set of names). */
  functionFor(args: Record<string, unknown>): RenderFunction {
    const last = this.#lastKeys;
    if (last !== null) {
      let index = 0;
      let same = true;
      for (const key in args) {
        if (key !== last[index++]) {
          same = false;
          break;
        }
      }
      if (same && index === last.length) return this.#lastFunction!;
    }
    const keys: string[] = [];
    for (const key in args) keys.push(key);
    const signature = keys.join("\n");
    let render = this.#shapes.get(signature);
    if (render === undefined) {
      render = this.#compile(keys);
      if (this.#shapes.size >= MAX_SHAPES) this.#shapes.clear();
      this.#shapes.set(signature, render);
    }
    this.#lastKeys = keys;
    this.#lastFunction = render;
    return render;
  }

  #compile(keys: readonly string[]): RenderFunction {
    const factory = new Function("_tt_h", "_tt_static", this.source(keys)) as (
      helpers: typeof RUNTIME,
      namespace: Record<string, unknown>,
    ) => RenderFunction;
    return factory(RUNTIME, this.#staticNamespace);
  }

  /**
   * Checks that the generated code compiles; on a SyntaxError, finds the tag whose
   * JavaScript is at fault and throws a ParseError naming it.
   */
  check(): void {
    try {
      // Kept as the function for an empty namespace, so this compile is not wasted.
      if (!this.#shapes.has("")) this.#shapes.set("", this.#compile([]));
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      throw this.#locateSyntaxError(error);
    }
  }

  #locateSyntaxError(error: SyntaxError): ParseError {
    const wrap = (code: string): string =>
      `"use strict"; return ${this.isAsync ? "async " : ""}function () { let _tt_buf = "";\n${code}\n};`;
    for (const fragment of this.#generated.fragments) {
      try {
        new Function(wrap(fragment.check));
      } catch (fragmentError) {
        if (!(fragmentError instanceof SyntaxError)) continue;
        let reason = `invalid JavaScript in ${fragment.tag}: ${fragmentError.message}`;
        if (!this.isAsync && /\bawait\b/.test(fragment.check)) {
          reason += " (a template that awaits must be rendered with generateAsync())";
        }
        return new ParseError(reason, fragment.file, fragment.line, { cause: fragmentError, source: fragment.source });
      }
    }
    return new ParseError(`generated JavaScript does not compile: ${error.message}`, this.name, 0, { cause: error });
  }

  /**
   * Rewrites the stack frame of this template's render function in `error` into the
   * template location ("at template page.html:3 (via base.html:1)") and returns the error.
   */
  annotate(error: unknown): unknown {
    if (!(error instanceof Error)) return error;
    let stack: string | undefined;
    try {
      stack = error.stack;
    } catch {
      return error;
    }
    if (typeof stack !== "string") return error;
    const marker = `tornado-template/${this.id}/`;
    const lines = stack.split("\n");
    let changed = false;
    for (let index = 0; index < lines.length; index++) {
      const frame = lines[index]!;
      const at = frame.indexOf(marker);
      if (at === -1) continue;
      const match = /:(\d+):\d+\)?\s*$/.exec(frame);
      if (!match) continue;
      const bodyLine = Number(match[1]) - WRAPPER_OFFSET - PROLOGUE_LINES - 1;
      const location = this.#generated.locations[bodyLine];
      if (location == null) continue;
      lines[index] = `    at template ${location}`;
      changed = true;
    }
    if (changed) {
      try {
        error.stack = lines.join("\n");
      } catch {
        // A frozen error keeps its original stack.
      }
    }
    return error;
  }
}
