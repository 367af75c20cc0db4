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
  MultipartError,
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
export { MultipartParser } from "./multipart-parser";
export type { MultipartParserOptions, MultipartPart, UploadedFile } from "./multipart-parser";
export { VERSION } from "./version";
