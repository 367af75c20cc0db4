/**
 * The loader base class: caching, relative names, shared settings. Tornado: template.BaseLoader.
 */

import { ParseError, TemplateArgumentError } from "./errors";
import { isWhitespaceMode, type WhitespaceMode } from "./filter-whitespace";
import type { Template, TemplateNamespace } from "./template";

/** Options of every loader (Tornado's keyword arguments). */
export interface LoaderOptions {
  /** Autoescape function name for the templates loaded, or null for none. Default "xhtml_escape". */
  autoescape?: string | null;
  /** Names added to every template's namespace (after the defaults, before generate's). Default {}. */
  namespace?: TemplateNamespace;
  /** Whitespace mode for every template. Default: by file name (.html/.js "single", else "all"). */
  whitespace?: WhitespaceMode | null;
}

/**
 * Loads templates by name and caches them compiled. Subclasses implement createTemplate and,
 * when names can be relative, resolvePath. Loading is synchronous, so no lock is needed.
 * Tornado: template.BaseLoader.
 */
export abstract class BaseLoader {
  readonly autoescape: string | null;
  readonly namespace: TemplateNamespace;
  readonly whitespace: WhitespaceMode | null;
  /** The cache: resolved name to compiled template. */
  readonly templates = new Map<string, Template>();
  readonly #loading: string[] = [];

  constructor(options: LoaderOptions = {}) {
    const autoescape = options.autoescape === undefined ? "xhtml_escape" : options.autoescape;
    if (autoescape !== null && (typeof autoescape !== "string" || autoescape === "")) {
      throw new TemplateArgumentError(`autoescape must be a function name or null, got ${JSON.stringify(autoescape)}`);
    }
    const whitespace = options.whitespace ?? null;
    if (whitespace !== null && !isWhitespaceMode(whitespace)) {
      throw new TemplateArgumentError(`invalid whitespace mode ${JSON.stringify(whitespace)} (use "all", "single" or "oneline")`);
    }
    const namespace = options.namespace ?? {};
    if (namespace === null || typeof namespace !== "object") {
      throw new TemplateArgumentError("the loader namespace must be an object");
    }
    this.autoescape = autoescape;
    this.whitespace = whitespace;
    this.namespace = namespace;
  }

  /** Forgets every compiled template, so the next load reads the source again. Tornado: reset. */
  reset(): void {
    this.templates.clear();
  }

  /** Resolves `name` relative to the template `parentPath`. Default: unchanged. Tornado: resolve_path. */
  resolvePath(name: string, _parentPath?: string): string {
    return name;
  }

  /**
   * The compiled template `name` (resolved against `parentPath`), from the cache or created.
   * Throws TemplateNotFoundError when there is no such template, ParseError when it is
   * malformed or when templates extend or include each other in a cycle. Tornado: load.
   */
  load(name: string, parentPath?: string): Template {
    if (typeof name !== "string" || name === "") {
      throw new TemplateArgumentError(`template name must be a non-empty string, got ${JSON.stringify(name)}`);
    }
    const resolved = this.resolvePath(name, parentPath);
    const cached = this.templates.get(resolved);
    if (cached) return cached;
    if (this.#loading.includes(resolved)) {
      throw new ParseError(
        `template cycle: ${[...this.#loading.slice(this.#loading.indexOf(resolved)), resolved].join(" -> ")}`,
        parentPath ?? resolved,
        0,
      );
    }
    this.#loading.push(resolved);
    try {
      const template = this.createTemplate(resolved);
      this.templates.set(resolved, template);
      return template;
    } finally {
      this.#loading.pop();
    }
  }

  /** Creates the template `name` (already resolved). Tornado: _create_template. */
  protected abstract createTemplate(name: string): Template;
}
