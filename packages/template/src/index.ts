/**
 * @tornado/template: Tornado's template language (tornado.template), compiled to JavaScript.
 * Tags keep Tornado's syntax; expressions inside them are JavaScript.
 *
 * @example
 * ```ts
 * import { DictLoader } from "@tornado/template";
 * const loader = new DictLoader({
 *   "base.html": "<title>{% block title %}{% end %}</title>{% block body %}{% end %}",
 *   "page.html": '{% extends "base.html" %}{% block title %}{{ title }}{% end %}' +
 *     "{% block body %}{% for item in items %}<li>{{ item }}</li>{% end %}{% end %}",
 * });
 * loader.load("page.html").generate({ title: "A & B", items: ["<x>", 2] });
 * // "<title>A &amp; B</title><li>&lt;x&gt;</li><li>2</li>"
 * ```
 */
export { Template } from "./template";
export type { TemplateOptions, TemplateNamespace } from "./template";
export { BaseLoader } from "./base-loader";
export type { LoaderOptions } from "./base-loader";
export { Loader } from "./loader";
export type { FileLoaderOptions } from "./loader";
export { DictLoader } from "./dict-loader";
export { filterWhitespace } from "./filter-whitespace";
export type { WhitespaceMode } from "./filter-whitespace";
export { DEFAULT_NAMESPACE } from "./default-namespace";
export { ParseError, TemplateNotFoundError, TemplateArgumentError, UnknownModuleError, TEMPLATE_ERROR_CODES } from "./errors";
