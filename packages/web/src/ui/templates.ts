/**
 * Template rendering for handlers: the process-wide loader cache, the default loader, and
 * the namespace every template sees. The functions take the few handler methods they call
 * (TemplateHost), so a handler's overrides of them still apply.
 * Tornado: RequestHandler.render_string, create_template_loader, get_template_namespace.
 */

import { autoreload } from "@tornado/ioloop";
import { Loader, type FileLoaderOptions } from "@tornado/template";
import type { Locale } from "../locale/locale";

/** The loader a template-rendering handler needs (an @tornado/template BaseLoader). */
export interface TemplateLoaderLike {
  load(name: string, parentPath?: string): { generate(namespace: Record<string, unknown>): Buffer | string };
  reset?(): void;
}

/** The application settings template loading reads (ApplicationSettings documents them). */
export interface TemplateSettings {
  readonly autoreload?: boolean;
  readonly templateLoader?: TemplateLoaderLike;
  readonly autoescape?: string | null;
  readonly templateWhitespace?: string;
}

/** What rendering asks of the handler: its template hooks and the names templates see. */
export interface TemplateHost {
  readonly request: unknown;
  readonly locale: Pick<Locale, "translate" | "pgettext">;
  readonly currentUser: unknown;
  getTemplatePath(): string | undefined;
  createTemplateLoader(templatePath: string): TemplateLoaderLike;
  getTemplateNamespace(): Record<string, unknown>;
  staticUrl(path: string, includeHost?: boolean): string;
  xsrfFormHtml(): string;
  reverseUrl(name: string, ...args: unknown[]): string;
}

// Loaders by template path, for the whole process (Tornado's class-level cache).
const TEMPLATE_LOADERS = new Map<string, TemplateLoaderLike>();

/**
 * The `templateLoader` setting, else a Loader with the `autoescape` and `templateWhitespace`
 * settings; under `autoreload` (or `debug`) each template file it reads is watched, so that
 * editing one restarts the process.
 */
export function createTemplateLoader(settings: TemplateSettings, templatePath: string): TemplateLoaderLike {
  if (settings.templateLoader !== undefined) return settings.templateLoader;
  const options: FileLoaderOptions = {};
  if ("autoescape" in settings) options.autoescape = settings.autoescape;
  if (settings.templateWhitespace !== undefined) options.whitespace = settings.templateWhitespace as FileLoaderOptions["whitespace"];
  if (settings.autoreload) options.onFileRead = autoreload.watch;
  return new Loader(templatePath, options) as unknown as TemplateLoaderLike;
}

/** Renders `templateName` with the handler's namespace plus `kwargs`, loading through the cache. */
export function renderString(host: TemplateHost, templateName: string, kwargs: Record<string, unknown>): Buffer | string {
  const templatePath = host.getTemplatePath() ?? process.cwd();
  let loader = TEMPLATE_LOADERS.get(templatePath);
  if (loader === undefined) {
    loader = host.createTemplateLoader(templatePath);
    TEMPLATE_LOADERS.set(templatePath, loader);
  }
  const template = loader.load(templateName);
  const namespace = host.getTemplateNamespace();
  assignTemplateNames(namespace, kwargs);
  return template.generate(namespace);
}

/**
 * A handler's template namespace: Tornado's names, each under its Tornado spelling and its
 * camelCase one, so that Tornado templates carry over unchanged. Own properties: handler,
 * request, `_`, pgettext, staticUrl / static_url, xsrfFormHtml / xsrf_form_html,
 * reverseUrl / reverse_url. `currentUser` / `current_user` and `locale` are enumerable
 * getters on the shared prototype: nothing per request, and a template reads only the names
 * it uses (@tornado/template), so the current user is looked up only by a template that
 * shows it (Tornado's skipped #820 test). A copy made with `{ ...namespace }` leaves those
 * three out: add names by assignment (see assignTemplateNames).
 */
class HandlerNamespace {
  [name: string]: unknown;

  constructor(host: TemplateHost) {
    const staticUrl = (path: string, includeHost?: boolean): string => host.staticUrl(path, includeHost);
    const xsrfFormHtml = (): string => host.xsrfFormHtml();
    const reverseUrl = (name: string, ...args: unknown[]): string => host.reverseUrl(name, ...args);
    this.handler = host;
    this.request = host.request;
    this._ = (message: string, plural?: string, count?: number) => host.locale.translate(message, plural, count);
    this.pgettext = (context: string, message: string, plural?: string, count?: number) =>
      host.locale.pgettext(context, message, plural, count);
    this.staticUrl = staticUrl;
    this.static_url = staticUrl;
    this.xsrfFormHtml = xsrfFormHtml;
    this.xsrf_form_html = xsrfFormHtml;
    this.reverseUrl = reverseUrl;
    this.reverse_url = reverseUrl;
  }
}

// Read from the handler when a template reads them (enumerable, so templates see them).
const LAZY_NAMES: Record<string, (this: { handler: TemplateHost }) => unknown> = {
  currentUser() {
    return this.handler.currentUser;
  },
  current_user() {
    return this.handler.currentUser;
  },
  locale() {
    return this.handler.locale;
  },
};
for (const [name, get] of Object.entries(LAZY_NAMES)) {
  Object.defineProperty(HandlerNamespace.prototype, name, { enumerable: true, configurable: true, get });
}

/** Tornado's get_template_namespace, then `extra` (the UI modules and methods) added to it. */
export function templateNamespace(host: TemplateHost, extra: Record<string, unknown>): Record<string, unknown> {
  const namespace = new HandlerNamespace(host);
  assignTemplateNames(namespace, extra);
  return namespace;
}

/**
 * Adds `values` to a namespace, replacing names already there (Python's dict.update): a
 * value named like one of the getters becomes an own property in front of it.
 */
export function assignTemplateNames(namespace: Record<string, unknown>, values: Record<string, unknown>): void {
  for (const name of Object.keys(values)) {
    if (name in LAZY_NAMES) Object.defineProperty(namespace, name, { value: values[name], writable: true, enumerable: true, configurable: true });
    else namespace[name] = values[name];
  }
}

/** Resets every cached template loader. */
export function resetTemplateLoaders(): void {
  for (const loader of TEMPLATE_LOADERS.values()) loader.reset?.();
}
