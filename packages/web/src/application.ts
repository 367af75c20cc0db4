/**
 * The web application: a routing table, settings, and the HTTPServer delegate.
 * Tornado: web.Application (and web._ApplicationRouter).
 */

import { HTTPServer, type HTTPMessageDelegate, type HTTPServerOptions, type HTTPServerRequest } from "@tornado/httpserver";
import { accessLog, autoreload, installProcessPolicy, LogLevel } from "@tornado/ioloop";
import { ArgumentTypeError } from "@tornado/util";
import { UrlNotFoundError } from "./errors";
import { ErrorHandler } from "./handler/error-handler";
import { HandlerDelegate } from "./handler/handler-delegate";
import { RequestHandler, type RequestHandlerClass } from "./handler/request-handler";
import { CompressContentEncoding } from "./output/compress-content-encoding";
import { GZipContentEncoding } from "./output/gzip-content-encoding";
import type { OutputTransformClass } from "./output/output-transform";
import { DefaultHostMatches, HostMatches } from "./routing/host-matches";
import { AnyMatches, type PathArgument, type TargetParams } from "./routing/matcher";
import { ReversibleRouter } from "./routing/router";
import { Rule, type RuleLike, type RuleTable } from "./routing/rule";
import { ReversibleRuleRouter, type RuleRouter } from "./routing/rule-router";
import type { ApplicationSettings } from "./settings";
import { StaticFileHandler } from "./static/static-file-handler";

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

/** The level of a response's access line: info below 400, warning below 500, else error. */
function accessLevel(status: number): LogLevel {
  return status < 400 ? LogLevel.INFO : status < 500 ? LogLevel.WARNING : LogLevel.ERROR;
}

/**
 * Writes the access line `"{status} {summary} {ms}ms"` on `tornado.access` at info (<400),
 * warning (<500) or error level; `summary` is `"{method} {uri} ({ip})"`, `seconds` the
 * request time. Shared by logRequest and NodeContainer (Tornado: log_request,
 * WSGIContainer._log); it lives here so that the log line names this module, as Tornado's
 * names web.py.
 */
export function logAccess(status: number, summary: string, seconds: number): void {
  const level = accessLevel(status);
  if (!accessLog.isEnabledFor(level)) return;
  accessLog.log(level, `${status} ${summary} ${(1000 * seconds).toFixed(2)}ms`);
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

  // Handler classes are this router's own targets (Tornado also imports dotted names here).
  protected override checkTarget(target: unknown): void {
    if (!isHandlerClass(target)) super.checkTarget(target);
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
 * The compiler checks each rule (see RuleTable): `Rules` exists only for that, so write the
 * type as plain `Application`. Tornado: web.Application.
 *
 * @example
 * const app = new Application([["/", MainHandler]]);
 * await app.listen(8888);
 */
export class Application<const Rules extends readonly unknown[] = readonly RuleLike[]> extends ReversibleRouter {
  readonly settings: ApplicationSettings;
  /** Rules for every host; add with addHandlers(".*$", ...) or wildcardRouter.addRules. */
  readonly wildcardRouter: RuleRouter;
  /** Host rules in order, then the wildcard rules. */
  readonly defaultRouter: RuleRouter;
  readonly transforms: OutputTransformClass[];
  /** Host for DefaultHostMatches (Tornado: default_host). */
  defaultHost: string | null;

  constructor(handlers: RuleTable<Rules> = [] as unknown as RuleTable<Rules>, settings: ApplicationSettings = {}) {
    super();
    if (!Array.isArray(handlers)) throw new ArgumentTypeError(`handlers must be an array of rules, got ${typeof handlers}`);
    let rules = handlers as readonly RuleLike[];
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
    if (settings.autoreload) autoreload.start();
    this.defaultHost = settings.defaultHost ?? null;
    this.transforms = settings.transforms !== undefined ? [...settings.transforms] : [];
    if (settings.compressResponse && settings.transforms === undefined) {
      this.transforms.push(settings.compressResponse === "br" ? CompressContentEncoding : GZipContentEncoding);
    }
    if (settings.staticPath) {
      const handlerClass = (settings.staticHandlerClass ??= StaticFileHandler);
      const args = { ...(settings.staticHandlerArgs ?? {}), path: settings.staticPath };
      const prefix = (settings.staticUrlPrefix ?? "/static/").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      rules = [
        [`${prefix}(.*)`, handlerClass, args],
        ["/(favicon\\.ico)", handlerClass, args],
        ["/(robots\\.txt)", handlerClass, args],
        ...rules,
      ];
    }
    this.wildcardRouter = new ApplicationRouter(this, rules);
    this.defaultRouter = new ApplicationRouter(this, [new Rule(new AnyMatches(), this.wildcardRouter)]);
  }

  /**
   * Starts an HTTPServer for this application on `port` (0 picks a free one) and resolves
   * with it once listening. `options` carries listen options (backlog, reusePort, family)
   * and HTTPServer options (xheaders, maxBodySize...). A busy port rejects with
   * AddressInUseError. Installs the process policy, as IOLoop.start() does (errors outside a
   * handler are logged, SIGINT/SIGTERM stop gracefully; see @tornado/ioloop). Tornado: Application.listen.
   */
  async listen(port: number, address?: string, options: ListenOptions = {}): Promise<HTTPServer> {
    installProcessPolicy();
    const { backlog, reusePort, family, ...serverOptions } = options;
    const server = new HTTPServer(this, serverOptions);
    await server.listen(port, address, { backlog, reusePort, family });
    // Before an autoreload restart: stop accepting, let in-flight responses finish.
    if (this.settings.autoreload) autoreload.addReloadHook(() => (server.stop(), server.closeAllConnections()));
    return server;
  }

  /**
   * Adds rules for hosts matching `hostPattern` (checked in the order added, before the
   * wildcard rules). Tornado: Application.add_handlers.
   */
  addHandlers<const HostRules extends readonly unknown[]>(hostPattern: string | RegExp, handlers: RuleTable<HostRules>): void {
    const rules = handlers as readonly RuleLike[];
    const hostMatcher = new HostMatches(hostPattern);
    const rule = new Rule(hostMatcher, new ApplicationRouter(this, rules));
    this.defaultRouter.insertRule(this.defaultRouter.rules.length - 1, rule);
    if (this.defaultHost !== null || this.settings.defaultHost !== undefined) {
      this.wildcardRouter.addRules([[new DefaultHostMatches(this, hostMatcher.hostPattern), [...rules]]]);
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
    // The summary and the time are built only for a line that is kept (by default, with
    // logging not configured, info lines are not).
    if (!accessLog.isEnabledFor(accessLevel(status))) return;
    logAccess(status, handler._requestSummary(), handler.request.requestTime());
  }
}
