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
  HTTPError,
  MissingArgumentError,
  MissingSettingError,
  ResponseStateError,
  RouteError,
  UnsafeHeaderValueError,
  UrlNotFoundError,
  WriteTypeError,
} from "./errors";
export type { HTTPErrorOptions } from "./errors";
export { Application } from "./application";
export type { ApplicationSettings, ListenOptions } from "./application";
export { RequestHandler } from "./request-handler";
export type { ErrorDetails, RequestHandlerClass, TemplateLoaderLike, WriteChunk } from "./request-handler";
export { ErrorHandler } from "./error-handler";
export { RedirectHandler } from "./redirect-handler";
export { streamRequestBody } from "./stream-request-body";
export { HandlerDelegate } from "./handler-delegate";
export { OutputTransform } from "./output-transform";
export type { OutputTransformClass } from "./output-transform";
export { Matcher, AnyMatches } from "./matcher";
export type { MatchableRequest, PathArgument, TargetParams } from "./matcher";
export { PathMatches } from "./path-matches";
export { HostMatches, DefaultHostMatches } from "./host-matches";
export { Rule, URLSpec, url } from "./rule";
export type { RuleLike, RuleTarget, RuleTuple } from "./rule";
export { Router, ReversibleRouter } from "./router";
export { RuleRouter, ReversibleRuleRouter } from "./rule-router";
export { RoutingDelegate } from "./routing-delegate";
export { VERSION } from "./version";
// Cookies, signed values, XSRF, auth decorators, static files, output transforms, locale.
export { WEB_FEATURE_ERROR_CODES, CookieError, LocaleError, SignedValueError } from "./feature-errors";
export {
  createSignedValue,
  decodeSignedValue,
  getSignatureKeyVersion,
  DEFAULT_SIGNED_VALUE_MIN_VERSION,
  DEFAULT_SIGNED_VALUE_VERSION,
  MAX_SUPPORTED_SIGNED_VALUE_VERSION,
  MIN_SUPPORTED_SIGNED_VALUE_VERSION,
} from "./signed-value";
export type { CreateSignedValueOptions, DecodeSignedValueOptions, SignedValueKey, SignedValueSecret } from "./signed-value";
export { formatSetCookie, quoteCookieValue, validateCookie } from "./set-cookie";
export type { SetCookieOptions } from "./set-cookie";
export { OutgoingCookies } from "./outgoing-cookies";
export type { ClearCookieOptions } from "./outgoing-cookies";
export type { GetSignedCookieOptions, SetSignedCookieOptions } from "./handler-cookies";
export { decodeXsrfToken, encodeXsrfToken, xsrfFormHtml } from "./xsrf-token";
export type { DecodedXsrfToken, EncodeXsrfTokenOptions } from "./xsrf-token";
export { authenticated } from "./authenticated";
export type { HandlerMethod } from "./authenticated";
export { addslash } from "./addslash";
export { removeslash } from "./removeslash";
export { StaticFileHandler } from "./static-file-handler";
export type { StaticContent, StaticFileHandlerOptions } from "./static-file-handler";
export { GZipContentEncoding } from "./gzip-content-encoding";
export { CompressContentEncoding } from "./compress-content-encoding";
export { Locale } from "./locale";
export {
  CONTEXT_SEPARATOR,
  getSupportedLocales,
  loadGettextTranslations,
  loadTranslations,
  parseCsvTranslations,
  setDefaultLocale,
} from "./translations";
export { formatNamed } from "./locale-format";
export type { FormatDateOptions } from "./locale-format";
export { LOCALE_NAMES } from "./locale-names";
export type { LocaleName } from "./locale-names";
export { UIModule, TemplateModule } from "./ui-module";
export type { ResourceFiles, TemplateResources } from "./ui-module";
export type { UIMethod, UIModuleClass } from "./ui-namespace";
