/**
 * A compiled template. Tornado: template.Template.
 */

import type { BaseLoader } from "./base-loader";
import { CompiledRender } from "./compiled-render";
import { DEFAULT_NAMESPACE } from "./default-namespace";
import { ParseError, TemplateArgumentError } from "./errors";
import { isWhitespaceMode, type WhitespaceMode } from "./filter-whitespace";
import { generateCode } from "./generate-code";
import type { CompilableTemplate, ParsedFile } from "./nodes";
import { parseTemplate } from "./parse-template";
import { TemplateReader } from "./template-reader";

/** Options of Template (Tornado's keyword arguments). */
export interface TemplateOptions {
  /** Name used in errors and to resolve relative includes. Default "<string>". */
  name?: string;
  /** Loader for `{% extends %}` and `{% include %}`. Default none. */
  loader?: BaseLoader | null;
  /**
   * Name of the function (looked up in the namespace) that escapes `{{ }}` output, or null
   * for no escaping. Default: the loader's setting, else "xhtml_escape".
   */
  autoescape?: string | null;
  /** Whitespace mode. Default: the loader's setting, else "single" for .html/.js names, else "all". */
  whitespace?: WhitespaceMode;
}

/** The namespace passed to generate(): the names its expressions can use. */
export type TemplateNamespace = Record<string, unknown>;

const DEFAULT_AUTOESCAPE = "xhtml_escape";

/**
 * A template compiled to a JavaScript function. Tags follow Tornado's syntax; expressions and
 * statements inside them are JavaScript. Parsing, inheritance and includes are resolved when
 * the template is constructed; the render function is created on first use, once per set of
 * namespace names (usually once).
 * Tornado: template.Template(template_string, name, loader, autoescape, whitespace).
 */
export class Template implements CompilableTemplate {
  readonly name: string;
  readonly loader: BaseLoader | null;
  /** The loader's namespace (merged into every render), or {}. */
  readonly namespace: TemplateNamespace;
  /** The file's autoescape setting after directives (null: off). */
  readonly autoescape: string | null;
  readonly whitespace: WhitespaceMode;
  /** @internal The parsed file. */
  readonly file: ParsedFile;
  #sync: CompiledRender | null = null;
  #async: CompiledRender | null = null;
  #ancestors: Template[] | null = null;

  constructor(source: string | Uint8Array, options: TemplateOptions = {}) {
    if (typeof source !== "string" && !(source instanceof Uint8Array)) {
      throw new TemplateArgumentError(`template source must be a string or Buffer, got ${typeof source}`);
    }
    if (options === null || typeof options !== "object") {
      throw new TemplateArgumentError("Template options must be an object");
    }
    const text = typeof source === "string" ? source : Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString("utf8");
    this.name = options.name ?? "<string>";
    this.loader = options.loader ?? null;
    this.namespace = this.loader?.namespace ?? {};

    let whitespace = options.whitespace ?? this.loader?.whitespace ?? null;
    if (whitespace === null) whitespace = this.name.endsWith(".html") || this.name.endsWith(".js") ? "single" : "all";
    if (!isWhitespaceMode(whitespace)) {
      throw new TemplateArgumentError(`invalid whitespace mode ${JSON.stringify(whitespace)} (use "all", "single" or "oneline")`);
    }
    this.whitespace = whitespace;

    let autoescape: string | null;
    if (options.autoescape !== undefined) autoescape = options.autoescape;
    else if (this.loader) autoescape = this.loader.autoescape;
    else autoescape = DEFAULT_AUTOESCAPE;
    if (autoescape !== null && (typeof autoescape !== "string" || autoescape === "")) {
      throw new TemplateArgumentError(`autoescape must be a function name or null, got ${JSON.stringify(autoescape)}`);
    }

    this.file = { name: this.name, source: text, body: [], autoescape, owner: this };
    parseTemplate(new TemplateReader(this.name, text, whitespace), this.file);
    this.autoescape = this.file.autoescape;
    // Compile now, as Tornado does, so that errors (also in parents and includes) surface here.
    this.#compiled(false, true);
  }

  /** The generated JavaScript (Tornado's `.code`), for debugging. */
  get code(): string {
    return this.#compiled(false, false).source([]);
  }

  /**
   * Renders the template with `namespace` as variables (on top of the default namespace and
   * the loader's). Returns the output string. Errors thrown by expressions propagate
   * unchanged, with the template location written into their stack.
   * Tornado: Template.generate(**kwargs) (which returns UTF-8 bytes).
   */
  generate(namespace: TemplateNamespace = {}): string {
    checkNamespace(namespace);
    const compiled = this.#compiled(false, false);
    const render = compiled.functionFor(namespace);
    try {
      return render(namespace) as string;
    } catch (error) {
      throw compiled.annotate(error);
    }
  }

  /**
   * Like generate(), but expressions, `{% set %}` and conditions may use `await`, and the
   * results of `{% module %}` and `{% apply %}` functions are awaited.
   */
  async generateAsync(namespace: TemplateNamespace = {}): Promise<string> {
    checkNamespace(namespace);
    const compiled = this.#compiled(true, false);
    const render = compiled.functionFor(namespace);
    try {
      return await render(namespace);
    } catch (error) {
      throw compiled.annotate(error);
    }
  }

  /** @internal This template and those it extends, leaf first. */
  ancestors(): Template[] {
    if (this.#ancestors) return this.#ancestors;
    const ancestors: Template[] = [this];
    for (const node of this.file.body) {
      if (node.kind !== "extends") continue;
      ancestors.push(...this.loadRelative(node.name, node.line, "extends").ancestors());
    }
    this.#ancestors = ancestors;
    return ancestors;
  }

  /** @internal Loads a template named relative to this one. */
  loadRelative(name: string, line: number, directive = "include"): Template {
    if (!this.loader) {
      throw new ParseError(`{% ${directive} %} block found, but no template loader`, this.name, line, {
        source: this.file.source,
      });
    }
    return this.loader.load(name, this.name);
  }

  #compiled(isAsync: boolean, checkOnly: boolean): CompiledRender {
    const existing = isAsync ? this.#async : this.#sync;
    if (existing) return existing;
    const staticNamespace = { ...DEFAULT_NAMESPACE, ...this.namespace };
    const compiled = new CompiledRender(this.name, generateCode(this, isAsync), staticNamespace, isAsync);
    if (isAsync) {
      compiled.check();
      this.#async = compiled;
      return compiled;
    }
    try {
      compiled.check();
    } catch (error) {
      // A template whose expressions await is valid, for generateAsync only: check it that way
      // now and report the need for generateAsync when generate() is called.
      if (!checkOnly || !(error instanceof ParseError) || !/\bawait\b/.test(error.message)) throw error;
      this.#compiled(true, false);
      return compiled;
    }
    this.#sync = compiled;
    return compiled;
  }
}

function checkNamespace(namespace: unknown): void {
  if (namespace === null || typeof namespace !== "object") {
    throw new TemplateArgumentError(`the namespace must be an object of names, got ${namespace === null ? "null" : typeof namespace}`);
  }
}
