/**
 * The errors of @tornado/template. Each carries a stable `code` and works with `instanceof`
 * across copies of the package (TornadoError from @tornado/util).
 */

import { TornadoError, TornadoTypeError } from "@tornado/util";

/** Error codes of this package, stable across releases. */
export const TEMPLATE_ERROR_CODES = {
  ParseError: "TORNADO_ERR_TEMPLATE_PARSE",
  TemplateNotFoundError: "TORNADO_ERR_TEMPLATE_NOT_FOUND",
  TemplateArgumentError: "TORNADO_ERR_TEMPLATE_BAD_ARGUMENT",
  UnknownModuleError: "TORNADO_ERR_TEMPLATE_UNKNOWN_MODULE",
} as const;

/** Longest source line quoted in a ParseError's stack, in characters. */
const MAX_QUOTED_LINE = 160;

/** Options of ParseError: Error's `cause`, and the template's text to quote the line from. */
export interface ParseErrorOptions {
  cause?: unknown;
  /** The whole source of the template named by `filename`. */
  source?: string;
}

/**
 * The template source is malformed: an unclosed tag, an unknown directive, a misplaced
 * `{% else %}`, a JavaScript expression that does not compile. `message` ends with
 * `at <filename>:<lineno>` as Tornado's str() does; the stack quotes the offending line of
 * the template (`    page.html:3 | <p>{{ user.name </p>`) under the message.
 * Tornado: template.ParseError(message, filename, lineno).
 */
export class ParseError extends TornadoError<typeof TEMPLATE_ERROR_CODES.ParseError> {
  static override readonly code = TEMPLATE_ERROR_CODES.ParseError;
  /** The problem alone, without the location. */
  readonly reason: string;
  /** The template's name, or null when unknown. */
  readonly filename: string | null;
  /** 1-based line of the tag in error; 0 when unknown. */
  readonly lineno: number;
  /** The text of that line of the template, or null when unknown. */
  readonly sourceLine: string | null;

  constructor(reason: string, filename: string | null = null, lineno = 0, options: ParseErrorOptions = {}) {
    const { source, ...errorOptions } = options;
    super(filename === null && lineno === 0 ? reason : `${reason} at ${filename}:${lineno}`, errorOptions);
    this.reason = reason;
    this.filename = filename;
    this.lineno = lineno;
    this.sourceLine = lineno > 0 && source !== undefined ? (source.split("\n")[lineno - 1]?.replace(/\r$/, "") ?? null) : null;
    if (this.sourceLine !== null && typeof this.stack === "string") {
      let quoted = this.sourceLine.replace(/\t/g, " ").trim();
      if (quoted.length > MAX_QUOTED_LINE) quoted = `${quoted.slice(0, MAX_QUOTED_LINE)}...`;
      // Under the first line, where a reader looks first; not a frame ("at"), so stack parsers skip it.
      const header = `${this.name}: ${this.message}`;
      if (this.stack.startsWith(header)) {
        this.stack = `${header}\n    ${filename}:${lineno} | ${quoted}${this.stack.slice(header.length)}`;
      }
    }
  }
}

/**
 * A loader has no template of that name (no such file under its root, no such key in its
 * dictionary), or the name leaves the loader's root directory. Tornado raises IOError/KeyError.
 */
export class TemplateNotFoundError extends TornadoError<typeof TEMPLATE_ERROR_CODES.TemplateNotFoundError> {
  static override readonly code = TEMPLATE_ERROR_CODES.TemplateNotFoundError;
  /** The template name as asked for, after resolution against its parent. */
  readonly templateName: string;

  constructor(templateName: string, detail: string, options?: { cause?: unknown }) {
    super(`template ${JSON.stringify(templateName)} not found: ${detail}`, options);
    this.templateName = templateName;
  }
}

/** A bad option or argument to a public API (an unknown whitespace mode, a non-string source). */
export class TemplateArgumentError extends TornadoTypeError<typeof TEMPLATE_ERROR_CODES.TemplateArgumentError> {
  static override readonly code = TEMPLATE_ERROR_CODES.TemplateArgumentError;
}

/**
 * `{% module Name(...) %}` names a module the namespace's `_tt_modules` does not have (or the
 * namespace has no modules: `@tornado/web`'s render() provides them). Thrown while rendering,
 * with the template location in the stack. Tornado raises AttributeError.
 */
export class UnknownModuleError extends TornadoError<typeof TEMPLATE_ERROR_CODES.UnknownModuleError> {
  static override readonly code = TEMPLATE_ERROR_CODES.UnknownModuleError;
  /** The name the template used. */
  readonly moduleName: string;

  constructor(moduleName: string, known: readonly string[] | null) {
    super(
      known === null
        ? `{% module ${moduleName} %}: the namespace has no modules (_tt_modules); @tornado/web's render() provides them`
        : `{% module ${moduleName} %}: no module named ${JSON.stringify(moduleName)} (modules: ${known.join(", ") || "none"})`,
    );
    this.moduleName = moduleName;
  }
}
