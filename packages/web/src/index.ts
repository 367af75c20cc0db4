/**
 * @tornado/web: Tornado's web framework — Application, routing, RequestHandler, errors.
 *
 * @example
 * import { Application, RequestHandler } from "@tornado/web";
 *
 * class MainHandler extends RequestHandler {
 *   get() {
 *     this.write("Hello, Tornado!");
 *   }
 * }
 *
 * const app = new Application([["/", MainHandler]]);
 * await app.listen(8888);
 */
export {
  WEB_ERROR_CODES,
  CannotReverseError,
  Finish,
  HandlerReturnTypeError,
  HTTPError,
  MissingArgumentError,
  MissingSettingError,
  NodeContainerError,
  NotImplementedError,
  ResponseStateError,
  RouteError,
  UIModuleError,
  UnsafeHeaderValueError,
  UrlNotFoundError,
  WriteTypeError,
} from "./errors";
export type { HTTPErrorOptions } from "./errors";
export { Application } from "./application";
export type { ListenOptions } from "./application";
export type { ApplicationSettings } from "./settings";
export { RequestHandler } from "./handler/request-handler";
export type { RequestHandlerClass } from "./handler/request-handler";
export type { ErrorDetails } from "./handler/error-pages";
export type { TemplateLoaderLike } from "./ui/templates";
export type { WriteChunk } from "./output/response-buffer";
export { ErrorHandler } from "./handler/error-handler";
export { RedirectHandler } from "./handler/redirect-handler";
export { FallbackHandler } from "./handler/fallback-handler";
export type { Fallback } from "./handler/fallback-handler";
export { NodeContainer } from "./container/node-container";
export type { NodeRequestListener } from "./container/node-container";
export { streamRequestBody } from "./decorators/stream-request-body";
export { HandlerDelegate } from "./handler/handler-delegate";
export { OutputTransform } from "./output/output-transform";
export type { OutputTransformClass } from "./output/output-transform";
export { Matcher, AnyMatches } from "./routing/matcher";
export type { MatchableRequest, PathArgument, TargetParams } from "./routing/matcher";
export { PathMatches } from "./routing/path-matches";
export { HostMatches, DefaultHostMatches } from "./routing/host-matches";
export { Rule, URLSpec, url } from "./routing/rule";
export type { RuleLike, RuleTable, RuleTarget, RuleTuple } from "./routing/rule";
export type { InitArgsOf, PathArgsOf } from "./routing/route-types";
export { Router, ReversibleRouter } from "./routing/router";
export { RuleRouter, ReversibleRuleRouter } from "./routing/rule-router";
export { RoutingDelegate } from "./routing/routing-delegate";
export { VERSION } from "./version";
// Cookies, signed values, XSRF, auth decorators, static files, output transforms, locale.
export { WEB_FEATURE_ERROR_CODES, CookieError, LocaleError, SignedValueError } from "./errors";
export {
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
  DEFAULT_SIGNED_VALUE_MIN_VERSION,
  DEFAULT_SIGNED_VALUE_VERSION,
  MAX_SUPPORTED_SIGNED_VALUE_VERSION,
  MIN_SUPPORTED_SIGNED_VALUE_VERSION,
} from "./cookies/signed-value";
export type { CreateSignedValueOptions, DecodeSignedValueOptions, SignedValueKey, SignedValueSecret } from "./cookies/signed-value";
export { formatSetCookie, quoteCookieValue, validateCookie } from "./cookies/set-cookie";
export type { SetCookieOptions } from "./cookies/set-cookie";
export { OutgoingCookies } from "./cookies/outgoing-cookies";
export type { ClearCookieOptions } from "./cookies/outgoing-cookies";
export type { GetSignedCookieOptions, SetSignedCookieOptions } from "./cookies/cookie-jar";
export { decodeXsrfToken, encodeXsrfToken, xsrfFormHtml } from "./cookies/xsrf-token";
export type { DecodedXsrfToken, EncodeXsrfTokenOptions } from "./cookies/xsrf-token";
export { authenticated } from "./decorators/authenticated";
export type { HandlerMethod } from "./decorators/authenticated";
export { addslash } from "./decorators/addslash";
export { removeslash } from "./decorators/removeslash";
export { StaticFileHandler } from "./static/static-file-handler";
export type { StaticContent, StaticFileHandlerOptions } from "./static/static-file-handler";
export { GZipContentEncoding } from "./output/gzip-content-encoding";
export { CompressContentEncoding } from "./output/compress-content-encoding";
export { Locale } from "./locale/locale";
export {
  CONTEXT_SEPARATOR,
  getSupportedLocales,
  loadGettextTranslations,
  loadTranslations,
  parseCsvTranslations,
  setDefaultLocale,
} from "./locale/translations";
export { formatNamed } from "./locale/locale-format";
export type { FormatDateOptions } from "./locale/locale-format";
export { LOCALE_NAMES } from "./locale/locale-names";
export type { LocaleName } from "./locale/locale-names";
export { UIModule, TemplateModule } from "./ui/ui-module";
export type { ResourceFiles, TemplateResources } from "./ui/ui-module";
export type { UIMethod, UIModuleClass } from "./ui/ui-modules";
