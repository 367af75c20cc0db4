/**
 * The UI modules of one request: one instance per module name, made the first time a
 * template calls `{% module Name(...) %}`, and the resources they ask for (JavaScript, CSS,
 * head and body HTML) put into the rendered page. RequestHandler holds one once it renders a
 * template. Tornado: RequestHandler.ui, _ui_module, _ui_method and the resource part of
 * render().
 */

import { xhtmlEscape } from "@tornado/escape";
import { UIModuleError } from "../errors";
import type { RequestHandler } from "../handler/request-handler";
import { LinkifyModule, TemplateModule, UIModule, XsrfFormHtmlModule, type ResourceFiles } from "./ui-module";

/** A UIModule class, as the `uiModules` setting lists them. */
export type UIModuleClass = new (handler: RequestHandler) => UIModule;
/** A UI method: receives the handler first. */
export type UIMethod = (handler: RequestHandler, ...args: never[]) => unknown;

/** The application settings UI modules read (ApplicationSettings documents them). */
export interface UISettings {
  readonly uiModules?: Record<string, UIModuleClass> | Record<string, UIModuleClass>[];
  readonly uiMethods?: Record<string, UIMethod> | Record<string, UIMethod>[];
}

const BUILT_IN: Record<string, UIModuleClass> = {
  linkify: LinkifyModule,
  xsrf_form_html: XsrfFormHtmlModule,
  xsrfFormHtml: XsrfFormHtmlModule,
  Template: TemplateModule,
};

function collect<T>(setting: unknown, accept: (name: string, value: unknown) => value is T): Record<string, T> {
  const out: Record<string, T> = {};
  const sources = Array.isArray(setting) ? setting : setting ? [setting] : [];
  for (const source of sources) {
    for (const [name, value] of Object.entries(source as Record<string, unknown>)) if (accept(name, value)) out[name] = value;
  }
  return out;
}

function isModuleClass(_name: string, value: unknown): value is UIModuleClass {
  return typeof value === "function" && (value === UIModule || value.prototype instanceof UIModule);
}

// Tornado: names starting lowercase, not "_".
function isMethod(name: string, value: unknown): value is UIMethod {
  return typeof value === "function" && /^[a-z]/.test(name);
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || path.startsWith("http:") || path.startsWith("https:");
}

function linked(files: string[], staticUrl: (path: string) => string, tag: (path: string) => string): string {
  const seen = new Set<string>();
  let out = "";
  for (let path of files) {
    if (!isAbsolute(path)) path = staticUrl(path);
    if (seen.has(path)) continue;
    seen.add(path);
    out += tag(xhtmlEscape(path));
  }
  return out;
}

function addFiles(list: string[], files: ResourceFiles): void {
  if (!files) return;
  if (typeof files === "string") list.push(files);
  else list.push(...files);
}

function insertBefore(html: string, marker: string, text: string, last: boolean): string {
  const at = last ? html.lastIndexOf(marker) : html.indexOf(marker);
  if (at < 0) throw new UIModuleError(`rendered page has no ${marker} to insert module resources before`);
  return html.slice(0, at) + text + "\n" + html.slice(at);
}

/** The modules one request rendered, by name, in the order first used. */
export class UIModules {
  readonly #handler: RequestHandler;
  readonly #active = new Map<string, UIModule>();

  /** `handler`: the RequestHandler the modules render for (its base, HandlerContext, makes this). */
  constructor(handler: object) {
    this.#handler = handler as RequestHandler;
  }

  /** The namespace entries for templates: `_tt_modules`, `modules`, and the bound UI methods. */
  namespace(settings: UISettings): Record<string, unknown> {
    const handler = this.#handler;
    const active = this.#active;
    const modules: Record<string, (...args: unknown[]) => string> = {};
    const classes = { ...BUILT_IN, ...collect(settings.uiModules, isModuleClass) };
    for (const [name, moduleClass] of Object.entries(classes)) {
      modules[name] = (...args: unknown[]) => {
        let instance = active.get(name);
        if (instance === undefined) active.set(name, (instance = new moduleClass(handler)));
        const out = instance.render(...args);
        return typeof out === "string" ? out : out.toString("utf8");
      };
    }
    const namespace: Record<string, unknown> = { _tt_modules: modules, modules };
    for (const [name, method] of Object.entries(collect(settings.uiMethods, isMethod))) {
      namespace[name] = (...args: unknown[]) => (method as (...a: unknown[]) => unknown)(handler, ...args);
    }
    return namespace;
  }

  /**
   * Puts the modules' resources into a rendered page: linked then inline JavaScript and html
   * bodies before the last `</body>`, linked then inline CSS and html heads before the first
   * `</head>`, relative paths through `staticUrl`. A page without modules is returned as is;
   * a page without the tag to insert before is UIModuleError.
   */
  injectResources(rendered: string | Buffer, staticUrl: (path: string) => string): string | Buffer {
    const active = this.#active;
    if (active.size === 0) return rendered;
    const jsEmbed: string[] = [];
    const jsFiles: string[] = [];
    const cssEmbed: string[] = [];
    const cssFiles: string[] = [];
    const heads: string[] = [];
    const bodies: string[] = [];
    for (const module of active.values()) {
      const js = module.embeddedJavascript();
      if (js) jsEmbed.push(js);
      addFiles(jsFiles, module.javascriptFiles());
      const css = module.embeddedCss();
      if (css) cssEmbed.push(css);
      addFiles(cssFiles, module.cssFiles());
      const head = module.htmlHead();
      if (head) heads.push(head);
      const body = module.htmlBody();
      if (body) bodies.push(body);
    }
    let html = typeof rendered === "string" ? rendered : rendered.toString("utf8");
    if (jsFiles.length > 0) {
      const tags = linked(jsFiles, staticUrl, (p) => `<script src="${p}" type="text/javascript"></script>`);
      html = insertBefore(html, "</body>", tags, true);
    }
    if (jsEmbed.length > 0) {
      html = insertBefore(html, "</body>", `<script type="text/javascript">\n//<![CDATA[\n${jsEmbed.join("\n")}\n//]]>\n</script>`, true);
    }
    if (cssFiles.length > 0) {
      const tags = linked(cssFiles, staticUrl, (p) => `<link href="${p}" type="text/css" rel="stylesheet"/>`);
      html = insertBefore(html, "</head>", tags, false);
    }
    if (cssEmbed.length > 0) html = insertBefore(html, "</head>", `<style type="text/css">\n${cssEmbed.join("\n")}\n</style>`, false);
    if (heads.length > 0) html = insertBefore(html, "</head>", heads.join(""), false);
    if (bodies.length > 0) html = insertBefore(html, "</body>", bodies.join(""), false);
    return html;
  }
}
