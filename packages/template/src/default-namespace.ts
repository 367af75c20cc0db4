/**
 * The names every template sees before the loader's namespace and the generate() arguments.
 * Tornado: the namespace built in Template.generate (escape, xhtml_escape, url_escape,
 * json_encode, squeeze, linkify, datetime). Both Tornado's snake_case names and this port's
 * camelCase names are provided, so templates written for Tornado keep working.
 * There is no `datetime`: JavaScript's `Date` and `Intl` are globals, usable as they are.
 */

import { jsonEncode, linkify, squeeze, urlEscape, xhtmlEscape } from "@tornado/escape";

export const DEFAULT_NAMESPACE: Readonly<Record<string, unknown>> = Object.freeze({
  escape: xhtmlEscape,
  xhtml_escape: xhtmlEscape,
  xhtmlEscape,
  url_escape: urlEscape,
  urlEscape,
  json_encode: jsonEncode,
  jsonEncode,
  squeeze,
  linkify,
});
