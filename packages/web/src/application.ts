/**
 * The web application: a routing table, settings, and the HTTPServer delegate.
 * Tornado: web.Application (and web._ApplicationRouter).
 */

import { HTTPServer, type HTTPMessageDelegate, type HTTPServerOptions, type HTTPServerRequest } from "@tornado/httpserver";
import { accessLog, LogLevel } from "@tornado/ioloop";
import { ArgumentTypeError } from "@tornado/util";
import { UrlNotFoundError } from "./errors";
import { ErrorHandler } from "./error-handler";
import { HandlerDelegate } from "./handler-delegate";
import { DefaultHostMatches, HostMatches } from "./host-matches";
import { AnyMatches, type PathArgument, type TargetParams } from "./matcher";
import type { OutputTransformClass } from "./output-transform";
import { RequestHandler, type RequestHandlerClass, type TemplateLoaderLike } from "./request-handler";
import { ReversibleRouter } from "./router";
import { ReversibleRuleRouter, RuleRouter } from "./rule-router";
import { Rule, type RuleLike } from "./rule";
import { StaticFileHandler } from "./static-file-handler";
import { GZipContentEncoding } from "./gzip-content-encoding";
import { CompressContentEncoding } from "./compress-content-encoding";
import type { SignedValueSecret } from "./signed-value";
import type { SetCookieOptions } from "./set-cookie";
import type { UIMethod, UIModuleClass } from "./ui-namespace";

/**
 * Application settings: Tornado's, camelCased. Unknown keys are kept (handlers read them
 * through `this.settings`).
 */
export interface ApplicationSettings {
  /** Development mode: sets serveTraceback, compiledTemplateCache=false, staticHashCache=false,
   *  autoreload (reloading itself is `node --watch`). Default false. */
  debug?: boolean;
  /** Accepted for compatibility; use `node --watch` to restart on change. */
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
  staticHandlerClass?: RequestHandlerClass & { makeStaticUrl(settings: ApplicationSettings, path: string, includeVersion?: boolean): string };
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
  [name: string]: unknown;
}

/**
 * Options of Application.listen: the listen options (`backlog` default 128, `reusePort`,
 * `family` 0/4/6) plus every HTTPServer option (`xheaders`, `maxBodySize`, `chunkSize`,
 * `http2` with or without `sslOptions`...).
 */
export interface ListenOptions extends HTTPServerOptions {
  backlog?: number;
  reusePort?: boolean;
  family?: 0 | 4 | 6;
}

function isHandlerClass(target: unknown): target is RequestHandlerClass {
  return typeof target === "function" && (target === RequestHandler || target.prototype instanceof RequestHandler);
}

/** The application's routers: handler classes become HandlerDelegates. Tornado: _ApplicationRouter. */
class ApplicationRouter extends ReversibleRuleRouter {
  constructor(
    readonly application: Application,
    rules?: readonly RuleLike[],
  ) {
    super();
    if (rules !== undefined) this.addRules(rules);
  }

  protected override createNestedRouter(rules: RuleLike[]): RuleRouter {
    return new ApplicationRouter(this.application, rules);
  }

  override getTargetDelegate(target: unknown, request: HTTPServerRequest, params: TargetParams): HTTPMessageDelegate | null {
    if (isHandlerClass(target)) {
      return this.application.getHandlerDelegate(request, target, params.targetKwargs, params.pathArgs, params.pathKwargs);
    }
    return super.getTargetDelegate(target, request, params);
  }
}


/**
 * A collection of request handlers that make up a web application; give it to an
 * HTTPServer or call listen(). Routes: `[pattern, Handler]`, `[pattern, Handler, initArgs]`,
 * `url(pattern, Handler, initArgs, name)`, nested rule arrays, Routers and Applications.
 * Tornado: web.Application.
 *
 * @example
 * const app = new Application([["/", MainHandler]]);
 * await app.listen(8888);
 */
export class Application extends ReversibleRouter {
  readonly settings: ApplicationSettings;
  /** Rules for every host; add with addHandlers(".*$", ...) or wildcardRouter.addRules. */
  readonly wildcardRouter: RuleRouter;
  /** Host rules in order, then the wildcard rules. */
  readonly defaultRouter: RuleRouter;
  readonly transforms: OutputTransformClass[];
  /** Host for DefaultHostMatches (Tornado: default_host). */
  defaultHost: string | null;

  constructor(handlers: readonly RuleLike[] = [], settings: ApplicationSettings = {}) {
    super();
    if (!Array.isArray(handlers)) throw new ArgumentTypeError(`handlers must be an array of rules, got ${typeof handlers}`);
    if (settings === null || typeof settings !== "object") {
      throw new ArgumentTypeError(`settings must be an object, got ${String(settings)}`);
    }
    settings = { ...settings };
    if (settings.debug) {
      settings.autoreload ??= true;
      settings.compiledTemplateCache ??= false;
      settings.staticHashCache ??= false;
      settings.serveTraceback ??= true;
    }
    this.settings = settings;
    this.defaultHost = settings.defaultHost ?? null;
    this.transforms = settings.transforms !== undefined ? [...settings.transforms] : [];
    if (settings.compressResponse && settings.transforms === undefined) {
      this.transforms.push(settings.compressResponse === "br" ? CompressContentEncoding : GZipContentEncoding);
    }
    if (settings.staticPath) {
      const handlerClass = (settings.staticHandlerClass ??= StaticFileHandler);
      const args = { ...(settings.staticHandlerArgs ?? {}), path: settings.staticPath };
      const prefix = (settings.staticUrlPrefix ?? "/static/").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      handlers = [
        [`${prefix}(.*)`, handlerClass, args],
        ["/(favicon\\.ico)", handlerClass, args],
        ["/(robots\\.txt)", handlerClass, args],
        ...handlers,
      ];
    }
    this.wildcardRouter = new ApplicationRouter(this, handlers);
    this.defaultRouter = new ApplicationRouter(this, [new Rule(new AnyMatches(), this.wildcardRouter)]);
  }

  /**
   * Starts an HTTPServer for this application on `port` (0 picks a free one) and resolves
   * with it once listening. `options` carries listen options (backlog, reusePort, family)
   * and HTTPServer options (xheaders, maxBodySize...). Tornado: Application.listen.
   */
  async listen(port: number, address?: string, options: ListenOptions = {}): Promise<HTTPServer> {
    const { backlog, reusePort, family, ...serverOptions } = options;
    const server = new HTTPServer(this, serverOptions);
    await server.listen(port, address, { backlog, reusePort, family });
    return server;
  }

  /**
   * Adds rules for hosts matching `hostPattern` (checked in the order added, before the
   * wildcard rules). Tornado: Application.add_handlers.
   */
  addHandlers(hostPattern: string | RegExp, handlers: readonly RuleLike[]): void {
    const hostMatcher = new HostMatches(hostPattern);
    const rule = new Rule(hostMatcher, new ApplicationRouter(this, handlers));
    this.defaultRouter.insertRule(this.defaultRouter.rules.length - 1, rule);
    if (this.defaultHost !== null || this.settings.defaultHost !== undefined) {
      this.wildcardRouter.addRules([[new DefaultHostMatches(this, hostMatcher.hostPattern), [...handlers]]]);
    }
  }

  /** Adds an output transform class. Tornado: add_transform. */
  addTransform(transformClass: OutputTransformClass): void {
    this.transforms.push(transformClass);
  }

  findHandler(request: HTTPServerRequest): HTTPMessageDelegate {
    const router = this.defaultRouter.rules.length === 1 ? this.wildcardRouter : this.defaultRouter;
    const delegate = router.findHandler(request);
    if (delegate !== null) return delegate;
    const settings = this.settings;
    if (settings.defaultHandlerClass !== undefined) {
      return this.getHandlerDelegate(request, settings.defaultHandlerClass, settings.defaultHandlerArgs);
    }
    return this.getHandlerDelegate(request, ErrorHandler as RequestHandlerClass, { statusCode: 404 });
  }

  /** The delegate running `handlerClass` for the request. Tornado: get_handler_delegate. */
  getHandlerDelegate(
    request: HTTPServerRequest,
    handlerClass: RequestHandlerClass,
    handlerArgs?: unknown,
    pathArgs?: PathArgument[],
    pathKwargs?: Record<string, PathArgument>,
  ): HTTPMessageDelegate {
    return new HandlerDelegate(this, request, handlerClass, handlerArgs, pathArgs ?? [], pathKwargs);
  }

  /**
   * The URL path of the rule named `name`, with args quoted as `quote(arg, safe="/")`.
   * Throws UrlNotFoundError for an unknown name. Tornado: Application.reverse_url.
   */
  reverseUrl(name: string, ...args: unknown[]): string {
    const url = this.defaultRouter.reverseUrl(name, ...args);
    if (url === null) throw new UrlNotFoundError(name);
    return url;
  }

  /**
   * Writes the access log line `"{status} {method} {uri} ({ip}) {ms}ms"` at info (<400),
   * warning (<500) or error level, or calls the `logFunction` setting. Tornado: log_request.
   */
  logRequest(handler: RequestHandler): void {
    const logFunction = this.settings.logFunction;
    if (logFunction !== undefined) {
      logFunction(handler);
      return;
    }
    const status = handler.getStatus();
    const level = status < 400 ? LogLevel.INFO : status < 500 ? LogLevel.WARNING : LogLevel.ERROR;
    if (!accessLog.isEnabledFor(level)) return;
    const milliseconds = 1000 * handler.request.requestTime();
    accessLog.log(level, `${status} ${handler._requestSummary()} ${milliseconds.toFixed(2)}ms`);
  }
}
