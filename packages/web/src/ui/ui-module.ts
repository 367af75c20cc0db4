/**
 * UI modules: reusable page pieces rendered with `{% module Name(args) %}`, which may add
 * JavaScript and CSS (files or inline) and HTML to the page's head and body; RequestHandler.
 * render() injects each resource once. Tornado: web.UIModule, TemplateModule, and the
 * built-in linkify / xsrf_form_html modules.
 */

import { linkify, type LinkifyOptions } from "@tornado/escape";
import { NotImplementedError, UIModuleError } from "../errors";
import type { RequestHandler } from "../handler/request-handler";

/** One or several paths, as resource hooks may return. */
export type ResourceFiles = string | readonly string[] | null | undefined;

/**
 * Subclass and override render(); the resource hooks are optional. One instance per handler
 * and module name. Tornado: web.UIModule.
 *
 * @example
 * class Entry extends UIModule {
 *   render(entry: Post) { return this.renderString("module-entry.html", { entry }); }
 *   cssFiles() { return "entry.css"; }
 * }
 * new Application(routes, { uiModules: { Entry } }); // {% module Entry(post) %}
 */
export class UIModule {
  readonly handler: RequestHandler;

  constructor(handler: RequestHandler) {
    this.handler = handler;
  }

  get request(): RequestHandler["request"] {
    return this.handler.request;
  }

  get locale(): RequestHandler["locale"] {
    return this.handler.locale;
  }

  get currentUser(): unknown {
    return this.handler.currentUser;
  }

  /** The module's HTML (not escaped). Tornado: UIModule.render. */
  render(..._args: unknown[]): string | Buffer {
    throw new NotImplementedError(`${this.constructor.name} must define render()`);
  }

  /** Inline JavaScript for the end of the body. */
  embeddedJavascript(): string | null | undefined {
    return null;
  }

  /** Script paths (relative ones go through staticUrl). */
  javascriptFiles(): ResourceFiles {
    return null;
  }

  /** Inline CSS for the head. */
  embeddedCss(): string | null | undefined {
    return null;
  }

  /** Stylesheet paths (relative ones go through staticUrl). */
  cssFiles(): ResourceFiles {
    return null;
  }

  /** HTML put before `</head>`. */
  htmlHead(): string | null | undefined {
    return null;
  }

  /** HTML put before `</body>`. */
  htmlBody(): string | null | undefined {
    return null;
  }

  /** Renders a template with the handler's namespace. Tornado: UIModule.render_string. */
  renderString(path: string, kwargs: Record<string, unknown> = {}): string {
    const out = this.handler.renderString(path, kwargs);
    return typeof out === "string" ? out : out.toString("utf8");
  }
}

/** The resources a template passes to `setResources` inside `{% module Template(...) %}`. */
export interface TemplateResources {
  embeddedJavascript?: string;
  javascriptFiles?: string | string[];
  embeddedCss?: string;
  cssFiles?: string | string[];
  htmlHead?: string;
  htmlBody?: string;
}

function sameResources(a: TemplateResources, b: TemplateResources): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `{% module Template("entry.html", { entry }) %}`: renders a template in its own namespace;
 * the template may call `setResources({ cssFiles, embeddedJavascript, ... })`, once per
 * template path (different resources for the same path throw). Tornado: TemplateModule.
 */
export class TemplateModule extends UIModule {
  #list: TemplateResources[] = [];
  #byPath = new Map<string, TemplateResources>();

  override render(path: string, kwargs: Record<string, unknown> = {}): string {
    const setResources = (resources: TemplateResources = {}): string => {
      const known = this.#byPath.get(path);
      if (known === undefined) {
        this.#list.push(resources);
        this.#byPath.set(path, resources);
      } else if (!sameResources(known, resources)) {
        throw new UIModuleError("setResources called with different resources for the same template");
      }
      return "";
    };
    return this.renderString(path, { ...kwargs, setResources });
  }

  #all<K extends keyof TemplateResources>(key: K): NonNullable<TemplateResources[K]>[] {
    return this.#list.filter((r) => r[key] !== undefined).map((r) => r[key]!);
  }

  #files(key: "javascriptFiles" | "cssFiles"): string[] {
    return this.#all(key).flatMap((f) => (typeof f === "string" ? [f] : f));
  }

  override embeddedJavascript(): string {
    return this.#all("embeddedJavascript").join("\n");
  }
  override javascriptFiles(): string[] {
    return this.#files("javascriptFiles");
  }
  override embeddedCss(): string {
    return this.#all("embeddedCss").join("\n");
  }
  override cssFiles(): string[] {
    return this.#files("cssFiles");
  }
  override htmlHead(): string {
    return this.#all("htmlHead").join("");
  }
  override htmlBody(): string {
    return this.#all("htmlBody").join("");
  }
}

/** `{% module linkify(text) %}`: escape.linkify, unescaped output. Tornado: _linkify. */
export class LinkifyModule extends UIModule {
  override render(text: string, options?: LinkifyOptions): string {
    return linkify(text, options);
  }
}

/** `{% module xsrfFormHtml() %}`. Tornado: _xsrf_form_html. */
export class XsrfFormHtmlModule extends UIModule {
  override render(): string {
    return this.handler.xsrfFormHtml();
  }
}
