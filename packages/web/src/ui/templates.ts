/**
 * Template rendering for RequestHandler, kept out of request-handler.ts: the process-wide
 * loader cache, the default loader, and the namespace every template sees. RequestHandler's
 * renderString, createTemplateLoader, getTemplateNamespace and resetTemplateLoaders call
 * these; they go through the handler's methods, so overrides still apply.
 * Tornado: RequestHandler.render_string, create_template_loader, get_template_namespace.
 */

import { Loader } from "@tornado/template";
import type { ApplicationSettings } from "../application";
import type { RequestHandler, TemplateLoaderLike } from "../handler/request-handler";
import { uiNamespace } from "./ui-modules";

// Loaders by template path, for the whole process (Tornado's class-level cache).
const TEMPLATE_LOADERS = new Map<string, TemplateLoaderLike>();

/** The `templateLoader` setting, else a Loader with the `autoescape` and `templateWhitespace` settings. */
export function createTemplateLoader(settings: ApplicationSettings, templatePath: string): TemplateLoaderLike {
  if (settings.templateLoader !== undefined) return settings.templateLoader;
  const options: Record<string, unknown> = {};
  if ("autoescape" in settings) options.autoescape = settings.autoescape;
  if (settings.templateWhitespace !== undefined) options.whitespace = settings.templateWhitespace;
  return new Loader(templatePath, options) as unknown as TemplateLoaderLike;
}

/** Renders `templateName` with the handler's namespace plus `kwargs`, loading through the cache. */
export function renderString(handler: RequestHandler, templateName: string, kwargs: Record<string, unknown>): Buffer | string {
  const templatePath = handler.getTemplatePath() ?? process.cwd();
  let loader = TEMPLATE_LOADERS.get(templatePath);
  if (loader === undefined) {
    loader = handler.createTemplateLoader(templatePath);
    TEMPLATE_LOADERS.set(templatePath, loader);
  }
  const template = loader.load(templateName);
  const namespace = handler.getTemplateNamespace();
  Object.assign(namespace, kwargs);
  return template.generate(namespace);
}

/**
 * handler, request, `_`, pgettext, staticUrl, xsrfFormHtml, reverseUrl, the UI modules and
 * methods, and `currentUser` and `locale` as getters (read when the template runs).
 */
export function templateNamespace(handler: RequestHandler): Record<string, unknown> {
  const namespace: Record<string, unknown> = {
    handler,
    request: handler.request,
    _: (message: string, plural?: string, count?: number) => handler.locale.translate(message, plural, count),
    pgettext: (context: string, message: string, plural?: string, count?: number) =>
      handler.locale.pgettext(context, message, plural, count),
    staticUrl: (path: string, includeHost?: boolean) => handler.staticUrl(path, includeHost),
    xsrfFormHtml: () => handler.xsrfFormHtml(),
    reverseUrl: (name: string, ...args: unknown[]) => handler.reverseUrl(name, ...args),
  };
  Object.assign(namespace, uiNamespace(handler)); // `_tt_modules`/`modules` and the uiMethods settings
  Object.defineProperty(namespace, "currentUser", { enumerable: true, configurable: true, get: () => handler.currentUser });
  Object.defineProperty(namespace, "locale", { enumerable: true, configurable: true, get: () => handler.locale });
  return namespace;
}

/** Resets every cached template loader. */
export function resetTemplateLoaders(): void {
  for (const loader of TEMPLATE_LOADERS.values()) loader.reset?.();
}
