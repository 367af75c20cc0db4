/**
 * HandlerContext, the base of RequestHandler: the request and what a handler reads and keeps
 * about it — arguments, the JSON body, the locale, the current user, cookies in both
 * directions with signed values and the XSRF token, templates, settings and URLs. It holds
 * the cookie jar (cookies/cookie-jar.ts) and the rendered UI modules (ui/ui-modules.ts);
 * the rules sit in input/request-arguments.ts, ui/templates.ts and static/static-url.ts.
 * RequestHandler (request-handler.ts) adds the entry points, the order of the steps and the
 * response. Tornado: the input, cookie and template methods of web.RequestHandler.
 */

import type { HTTPServerRequest } from "@tornado/httpserver";
import type { HTTPHeaders } from "@tornado/httputil";
import type { Application } from "../application";
import { CookieJar, type GetSignedCookieOptions, type SetSignedCookieOptions } from "../cookies/cookie-jar";
import type { ClearCookieOptions } from "../cookies/outgoing-cookies";
import type { SetCookieOptions } from "../cookies/set-cookie";
import { xsrfFormHtml } from "../cookies/xsrf-token";
import * as input from "../input/request-arguments";
import { Locale } from "../locale/locale";
import { requireSetting, type ApplicationSettings, type SettingName } from "../settings";
import { staticUrl } from "../static/static-url";
import * as templates from "../ui/templates";
import { UIModules } from "../ui/ui-modules";

const UNSET = Symbol("unset");

/** What every handler knows of its request; see RequestHandler. */
export class HandlerContext {
  readonly application: Application;
  readonly request: HTTPServerRequest;
  #cookies: CookieJar | null = null;
  #ui: UIModules | null = null;
  #currentUser: unknown = UNSET;
  #locale: Locale | typeof UNSET = UNSET;
  #jsonBody: unknown = UNSET;

  constructor(application: Application, request: HTTPServerRequest) {
    this.application = application;
    this.request = request;
  }

  /** The application's settings. */
  get settings(): ApplicationSettings {
    return this.application.settings;
  }

  /** `"GET /path (1.2.3.4)"`. Tornado: _request_summary. */
  _requestSummary(): string {
    return `${this.request.method} ${this.request.uri} (${this.request.remoteIp})`;
  }

  // ---------------------------------------------------------------- input (input/request-arguments.ts)

  /**
   * The last value of `name` from the query and the body (the body wins), decoded, control
   * characters replaced by spaces, stripped unless `strip` is false. Without a default a
   * missing argument is MissingArgumentError (400). Tornado: get_argument.
   */
  getArgument(name: string): string;
  getArgument<D>(name: string, defaultValue: D, strip?: boolean): string | D;
  getArgument(name: string, ...rest: unknown[]): unknown {
    return input.lastArgument(this.request.arguments, name, rest, this.#decoder());
  }
  /** Every value of `name` from query and body (empty when absent). Tornado: get_arguments. */
  getArguments(name: string, strip = true): string[] {
    return input.argumentValues(this.request.arguments, name, strip, this.#decoder());
  }
  /** Like getArgument, from the query string only. Tornado: get_query_argument. */
  getQueryArgument(name: string): string;
  getQueryArgument<D>(name: string, defaultValue: D, strip?: boolean): string | D;
  getQueryArgument(name: string, ...rest: unknown[]): unknown {
    return input.lastArgument(this.request.queryArguments, name, rest, this.#decoder());
  }
  /** Tornado: get_query_arguments. */
  getQueryArguments(name: string, strip = true): string[] {
    return input.argumentValues(this.request.queryArguments, name, strip, this.#decoder());
  }
  /** Like getArgument, from the body only. Tornado: get_body_argument. */
  getBodyArgument(name: string): string;
  getBodyArgument<D>(name: string, defaultValue: D, strip?: boolean): string | D;
  getBodyArgument(name: string, ...rest: unknown[]): unknown {
    return input.lastArgument(this.request.bodyArguments, name, rest, this.#decoder());
  }
  /** Tornado: get_body_arguments. */
  getBodyArguments(name: string, strip = true): string[] {
    return input.argumentValues(this.request.bodyArguments, name, strip, this.#decoder());
  }

  #decoder(): input.ArgumentDecoder {
    const custom = this.decodeArgument !== HandlerContext.prototype.decodeArgument;
    return custom ? (value, name) => this.decodeArgument(value, name) : input.decodeUtf8Argument;
  }

  /** Strict UTF-8, else HTTPError(400 "Invalid unicode in {name}"); override for another charset or bytes. Tornado: decode_argument. */
  decodeArgument(value: Buffer, name?: string): string | Buffer {
    return input.decodeUtf8Argument(value, name);
  }

  /** The body parsed as JSON (cached); 400 unless the Content-Type is JSON and the body parses. Beyond Tornado. */
  getJsonBody<T = unknown>(): T {
    if (this.#jsonBody === UNSET) this.#jsonBody = input.parseJsonBody(this.request);
    return this.#jsonBody as T;
  }

  /** The best locale from Accept-Language (q-values honoured, q=0 dropped), else `defaultCode`. Tornado: get_browser_locale. */
  getBrowserLocale(defaultCode = "en_US"): Locale {
    const header = this.request.headers.get("Accept-Language");
    const codes = header ? input.acceptLanguageCodes(header) : [];
    return codes.length > 0 ? Locale.get(...codes) : Locale.get(defaultCode);
  }
  /** Hook: the user's own locale, or null to use the browser's. Tornado: get_user_locale. */
  getUserLocale(): Locale | null {
    return null;
  }
  /** The request's locale (settable), computed once. Tornado: RequestHandler.locale. */
  get locale(): Locale {
    if (this.#locale === UNSET) this.#locale = this.getUserLocale() ?? this.getBrowserLocale();
    return this.#locale;
  }
  set locale(value: Locale) {
    this.#locale = value;
  }

  /** Hook: the authenticated user, or null; may be async (awaited before prepare()). Tornado: get_current_user. */
  getCurrentUser(): unknown {
    return null;
  }
  /** The user, from getCurrentUser() once, or as assigned. Tornado: current_user. */
  get currentUser(): unknown {
    if (this.#currentUser === UNSET) this.#currentUser = this.getCurrentUser();
    return this.#currentUser;
  }
  set currentUser(value: unknown) {
    this.#currentUser = value;
  }

  // ---------------------------------------------------------------- misc

  /** Tornado: reverse_url. */
  reverseUrl(name: string, ...args: unknown[]): string {
    return this.application.reverseUrl(name, ...args);
  }
  /** Throws MissingSettingError when the setting is absent. Tornado: require_setting. */
  requireSetting(name: SettingName, feature = "this feature"): void {
    requireSetting(this.settings, name, feature);
  }
  /**
   * The URL of a static file: `staticHandlerClass.makeStaticUrl` (prefix, path, `?v=` hash),
   * with `protocol://host` when includeHost (default: the handler's `includeHost`). Tornado: static_url.
   */
  staticUrl(path: string, includeHost?: boolean, options: { includeVersion?: boolean } = {}): string {
    includeHost ??= (this as { includeHost?: boolean }).includeHost ?? false;
    return staticUrl(this.settings, this.request, path, includeHost, options.includeVersion ?? true);
  }

  // ---------------------------------------------------------------- cookies, signed cookies, XSRF (cookies/cookie-jar.ts)

  #jar(): CookieJar {
    return (this.#cookies ??= new CookieJar(this.request));
  }
  /**
   * Completes a header block about to be written with a Set-Cookie header per cookie set.
   * For subclasses that write their own response head (WebSocketHandler's 101).
   */
  protected _completeHeaders(headers: HTTPHeaders): void {
    this.#cookies?.addSetCookieHeaders(headers);
  }
  /** The request's cookies (name -> value). Tornado: RequestHandler.cookies. */
  get cookies(): Map<string, string> {
    return this.#jar().incoming;
  }
  /** A request cookie, or `defaultValue`; never sees cookies set in this response. Tornado: get_cookie. */
  getCookie(name: string, defaultValue?: string): string | undefined {
    return this.#jar().get(name, defaultValue);
  }
  /** Sets a cookie (path "/" unless given), replacing one of the same name; invalid parts are CookieError. Tornado: set_cookie. */
  setCookie(name: string, value: string | Buffer, options?: SetCookieOptions): void {
    this.#jar().set(name, value, options);
  }
  /** Deletes a cookie (same path and domain as it was set with). Tornado: clear_cookie. */
  clearCookie(name: string, options?: ClearCookieOptions): void {
    this.#jar().clear(name, options);
  }
  /**
   * Deletes every cookie the request sent. Tornado: clear_all_cookies.
   * @deprecated As in Tornado 6.3: a request names its cookies but not their path or domain,
   * so this cannot clear them reliably; call clearCookie(name, options) for each.
   */
  clearAllCookies(options?: ClearCookieOptions): void {
    this.#jar().clearAll(options);
  }
  /** A value signed with the `cookieSecret` setting (and `keyVersion`). Tornado: create_signed_value. */
  createSignedValue(name: string, value: string | Buffer, version?: number): string {
    return this.#jar().createSignedValue(this.settings, name, value, version);
  }
  /** Signs and sets a cookie (expiresDays default 30) so it cannot be forged. Tornado: set_signed_cookie. */
  setSignedCookie(name: string, value: string | Buffer, options?: SetSignedCookieOptions): void {
    this.#jar().setSigned(this.settings, name, value, options);
  }
  /**
   * The verified value of a signed cookie as UTF-8 text, or null (missing, forged, older than
   * maxAgeDays, default 31). `value` replaces the request's cookie. Tornado: get_signed_cookie.
   */
  getSignedCookie(name: string, value?: string | null, options?: GetSignedCookieOptions): string | null {
    return this.#jar().getSigned(this.settings, name, value, options)?.toString("utf8") ?? null;
  }
  /** getSignedCookie returning the bytes (Tornado returns bytes). */
  getSignedCookieBuffer(name: string, value?: string | null, options?: GetSignedCookieOptions): Buffer | null {
    return this.#jar().getSigned(this.settings, name, value, options);
  }
  /** The key version of a signed cookie, or null. Tornado: get_signed_cookie_key_version. */
  getSignedCookieKeyVersion(name: string, value?: string | null): number | null {
    return this.#jar().getSignedKeyVersion(this.settings, name, value);
  }
  /**
   * Tornado 6.3 renamed set_secure_cookie to set_signed_cookie and keeps the old name.
   * Tornado: set_secure_cookie.
   * @deprecated Use setSignedCookie (the same method).
   */
  setSecureCookie(name: string, value: string | Buffer, options?: SetSignedCookieOptions): void {
    this.setSignedCookie(name, value, options);
  }
  /**
   * Tornado: get_secure_cookie.
   * @deprecated Use getSignedCookie (the same method).
   */
  getSecureCookie(name: string, value?: string | null, options?: GetSignedCookieOptions): string | null {
    return this.getSignedCookie(name, value, options);
  }
  /**
   * Tornado: get_secure_cookie_key_version.
   * @deprecated Use getSignedCookieKeyVersion (the same method).
   */
  getSecureCookieKeyVersion(name: string, value?: string | null): number | null {
    return this.getSignedCookieKeyVersion(name, value);
  }
  /** The XSRF token (masked differently on every request), setting the `_xsrf` cookie when the request had none. Tornado: xsrf_token. */
  get xsrfToken(): string {
    return this.#jar().xsrfToken(this.settings, this);
  }
  /**
   * 403 unless the `_xsrf` argument or an X-Xsrftoken / X-Csrftoken header matches the XSRF
   * cookie; the `xsrfCookies` setting runs it before prepare(). Tornado: check_xsrf_cookie.
   */
  checkXsrfCookie(): void {
    const headers = this.request.headers;
    const submitted = this.getArgument("_xsrf", null) || headers.get("X-Xsrftoken") || headers.get("X-Csrftoken");
    this.#jar().checkXsrf(this.settings, submitted);
  }
  /** `<input type="hidden" name="_xsrf" value="…"/>` for forms. Tornado: xsrf_form_html. */
  xsrfFormHtml(): string {
    return xsrfFormHtml(this.#jar().xsrfToken(this.settings, this));
  }
  /** The `loginUrl` setting (required), used by `authenticated`. Tornado: get_login_url. */
  getLoginUrl(): string {
    this.requireSetting("loginUrl", "@authenticated");
    return this.settings.loginUrl as string;
  }

  // ---------------------------------------------------------------- templates (ui/)

  /** The `templatePath` setting. Tornado: get_template_path. */
  getTemplatePath(): string | undefined {
    return this.settings.templatePath;
  }
  /**
   * The `templateLoader` setting, else a template Loader on the path with the `autoescape`
   * and `templateWhitespace` settings. Tornado: create_template_loader.
   */
  createTemplateLoader(templatePath: string): templates.TemplateLoaderLike {
    return templates.createTemplateLoader(this.settings, templatePath);
  }
  /** Renders a template with getTemplateNamespace() plus `kwargs` (loaders cached per path, process-wide). Tornado: render_string. */
  renderString(templateName: string, kwargs: Record<string, unknown> = {}): Buffer | string {
    return templates.renderString(this, templateName, kwargs);
  }
  /** The page render() sends: the template rendered, with the UI modules' resources added. @internal */
  protected _renderPage(templateName: string, kwargs: Record<string, unknown>): string | Buffer {
    const html = this.renderString(templateName, kwargs);
    return this.#ui === null ? html : this.#ui.injectResources(html, (path) => this.staticUrl(path));
  }
  /**
   * The names every template sees, in Tornado's spelling and camelCase: handler, request,
   * currentUser / current_user, locale, `_`, pgettext, staticUrl / static_url, xsrfFormHtml /
   * xsrf_form_html, reverseUrl / reverse_url, the UI modules and methods. `currentUser` and
   * `locale` are read only by a template that uses them (getters on the namespace's
   * prototype: to extend it in an override, assign to the returned object rather than
   * spreading it). Tornado: get_template_namespace.
   */
  getTemplateNamespace(): Record<string, unknown> {
    return templates.templateNamespace(this, (this.#ui ??= new UIModules(this)).namespace(this.settings));
  }
  /** Forgets every cached template loader (what `compiledTemplateCache: false` does per request). */
  static resetTemplateLoaders(): void {
    templates.resetTemplateLoaders();
  }
}
