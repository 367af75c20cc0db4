/**
 * ApplicationSettings: what `new Application(rules, settings)` accepts, and the one place a
 * package adds settings of its own (by declaration merging, see below).
 * Tornado: the **settings of web.Application.
 */

import { MissingSettingError } from "./errors";
import type { SetCookieOptions } from "./cookies/set-cookie";
import type { SignedValueSecret } from "./cookies/signed-value";
import type { RequestHandler, RequestHandlerClass } from "./handler/request-handler";
import type { OutputTransformClass } from "./output/output-transform";
import type { StaticUrlMaker } from "./static/static-url";
import type { TemplateLoaderLike } from "./ui/templates";
import type { UIMethod, UIModuleClass } from "./ui/ui-modules";

/**
 * Application settings: Tornado's, camelCased, each checked by the compiler (a misspelt
 * `cookieSecert` does not compile). A package or an application adds settings of its own
 * by declaration merging; their values reach `this.settings` as given:
 *
 * @example
 * declare module "@tornado/web" {
 *   interface ApplicationSettings {
 *     uploadDir?: string; // where uploads go
 *   }
 * }
 */
export interface ApplicationSettings {
  /** Development mode: sets serveTraceback, compiledTemplateCache=false, staticHashCache=false,
   *  autoreload (@tornado/ioloop's autoreload: restart on a source change). Default false. */
  debug?: boolean;
  /** Restart the process when a source file it loaded changes, after stopping the server gracefully (@tornado/ioloop autoreload). Default: `debug`. */
  autoreload?: boolean;
  /** Error pages carry the stack trace (text/plain). Default: `debug`. */
  serveTraceback?: boolean;
  /** Cache compiled templates; false reloads them on every request. Default true. */
  compiledTemplateCache?: boolean;
  /** Cache static file hashes (issue 6). Default true. */
  staticHashCache?: boolean;
  /** Host served by `defaultHost` matching when no host pattern matches. */
  defaultHost?: string;
  /** Handler when no rule matches; default ErrorHandler with `{ statusCode: 404 }`. */
  defaultHandlerClass?: RequestHandlerClass;
  /** Init arguments of defaultHandlerClass. */
  defaultHandlerArgs?: unknown;
  /** OutputTransform classes applied to every response. */
  transforms?: OutputTransformClass[];
  /** Replaces logRequest: called with each finished handler. */
  logFunction?: (handler: RequestHandler) => void;
  /**
   * Compress text responses: true adds GZipContentEncoding (Tornado's behaviour), "br" adds
   * CompressContentEncoding (brotli or gzip by Accept-Encoding). Only when `transforms` is not
   * given, as in Tornado. Default false.
   */
  compressResponse?: boolean | "br";
  /** Directory of templates for render(). */
  templatePath?: string;
  /** A template loader; overrides templatePath, autoescape and templateWhitespace. */
  templateLoader?: TemplateLoaderLike;
  /** Name of the autoescape function, or null; default "xhtml_escape" (the template's default). */
  autoescape?: string | null;
  /** Template whitespace mode: "all", "single" or "oneline". */
  templateWhitespace?: string;
  /** Serializer for write(object); default jsonEncode (JSON.stringify with `</` escaped). Beyond Tornado. */
  jsonSerializer?: (value: unknown) => string;
  /**
   * Static file directory: adds the routes `staticUrlPrefix(.*)`, `/(favicon\.ico)` and
   * `/(robots\.txt)` to staticHandlerClass, and enables staticUrl().
   */
  staticPath?: string;
  /** The handler of static routes; default StaticFileHandler. */
  staticHandlerClass?: RequestHandlerClass & StaticUrlMaker;
  /** Init arguments of staticHandlerClass (`path` is added), e.g. `{ defaultFilename: "index.html" }`. */
  staticHandlerArgs?: Record<string, unknown>;
  /** Secret for signed cookies: a string, a Buffer, or `{ keyVersion: secret }` for rotation. */
  cookieSecret?: SignedValueSecret;
  /** With a map of secrets, the key version that signs (all listed keys verify). */
  keyVersion?: number;
  /** Check the XSRF token on POST, PUT, PATCH, DELETE... (403 when it fails). Default false. */
  xsrfCookies?: boolean;
  /** Token format: 2 (masked per request, default) or 1. */
  xsrfCookieVersion?: number;
  /** Cookie name, default "_xsrf" (e.g. "__Host-xsrf" with `secure`); the form field stays `_xsrf`. */
  xsrfCookieName?: string;
  /** Extra setCookie options for the XSRF cookie (httpOnly, secure, expiresDays, sameSite...). */
  xsrfCookieKwargs?: SetCookieOptions;
  /** Where `authenticated` sends anonymous GET/HEAD requests. */
  loginUrl?: string;
  /** UI modules by name (`{% module Name(...) %}`), an object or a list of objects. */
  uiModules?: Record<string, UIModuleClass> | Record<string, UIModuleClass>[];
  /** Template functions receiving the handler first, an object or a list of objects. */
  uiMethods?: Record<string, UIMethod> | Record<string, UIMethod>[];
  /** Prefix of static URLs; default "/static/". */
  staticUrlPrefix?: string;
}

/** A setting's name, including those other packages add. */
export type SettingName = Extract<keyof ApplicationSettings, string>;

/**
 * Throws MissingSettingError unless the setting is set (truthy) in `settings`.
 * Tornado: RequestHandler.require_setting.
 */
export function requireSetting(settings: ApplicationSettings, name: SettingName, feature = "this feature"): void {
  if (!settings[name]) throw new MissingSettingError(name, feature);
}
