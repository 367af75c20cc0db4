/**
 * Template rendering for handlers: the process-wide loader cache, the default loader, and
 * the namespace every template sees. The functions take the few handler methods they call
 * (TemplateHost), so a handler's overrides of them still apply.
 * Tornado: RequestHandler.render_string, create_template_loader, get_template_namespace.
 */

import { Loader } from "@tornado/template";
import type { Locale } from "../locale/locale";

/** The loader a template-rendering handler needs (an @tornado/template BaseLoader). */
export interface TemplateLoaderLike {
  load(name: string, parentPath?: string): { generate(namespace: Record<string, unknown>): Buffer | string };
  reset?(): void;
}

/** The application settings template loading reads (ApplicationSettings documents them). */
export interface TemplateSettings {
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

/** The `templateLoader` setting, else a Loader with the `autoescape` and `templateWhitespace` settings. */
export function createTemplateLoader(settings: TemplateSettings, templatePath: string): TemplateLoaderLike {
  if (settings.templateLoader !== undefined) return settings.templateLoader;
  const options: Record<string, unknown> = {};
  if ("autoescape" in settings) options.autoescape = settings.autoescape;
  if (settings.templateWhitespace !== undefined) options.whitespace = settings.templateWhitespace;
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
  Object.assign(namespace, kwargs);
  return template.generate(namespace);
}

/**
 * handler, request, `_`, pgettext, staticUrl, xsrfFormHtml, reverseUrl, then `extra` (the
 * UI modules and methods), then `currentUser` and `locale` as getters (read when the
 * template runs).
 */
export function templateNamespace(host: TemplateHost, extra: Record<string, unknown>): Record<string, unknown> {
  const namespace: Record<string, unknown> = {
    handler: host,
    request: host.request,
    _: (message: string, plural?: string, count?: number) => host.locale.translate(message, plural, count),
    pgettext: (context: string, message: string, plural?: string, count?: number) =>
      host.locale.pgettext(context, message, plural, count),
    staticUrl: (path: string, includeHost?: boolean) => host.staticUrl(path, includeHost),
    xsrfFormHtml: () => host.xsrfFormHtml(),
    reverseUrl: (name: string, ...args: unknown[]) => host.reverseUrl(name, ...args),
  };
  Object.assign(namespace, extra);
  Object.defineProperty(namespace, "currentUser", { enumerable: true, configurable: true, get: () => host.currentUser });
  Object.defineProperty(namespace, "locale", { enumerable: true, configurable: true, get: () => host.locale });
  return namespace;
}

/** Resets every cached template loader. */
export function resetTemplateLoaders(): void {
  for (const loader of TEMPLATE_LOADERS.values()) loader.reset?.();
}
