/**
 * @tornado/httputil: Tornado's httputil — what an HTTP server and an HTTP client both need:
 * HTTPHeaders, start lines, query strings, cookies, header parameters, dates, reason phrases,
 * body arguments and the one multipart parser (streaming, with the buffered form on top).
 *
 * @example
 * import { HTTPHeaders, parseQsToArguments, parseCookie } from "@tornado/httputil";
 * const headers = HTTPHeaders.parse("Content-Type: text/html\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n");
 * headers.get("set-cookie"); // "a=1,b=2"
 * parseQsToArguments("a=1&a=2&b=")["a"]; // [<Buffer 31>, <Buffer 32>]
 * parseCookie('x=1; y="a\\073b"'); // { x: "1", y: "a;b" }
 */
export {
  HTTPUTIL_ERROR_CODES,
  HTTPInputError,
  HTTPOutputError,
  HTTPTooManyArgumentsError,
  MultipartError,
} from "./errors";
export { HTTPHeaders, normalizeHeaderName } from "./http-headers";
export { RequestStartLine, ResponseStartLine, parseRequestStartLine, parseResponseStartLine } from "./start-line";
export { responses } from "./responses";
export { formatTimestamp, httpDate } from "./format-timestamp";
export { urlConcat, quotePlus } from "./url-concat";
export type { UrlArguments } from "./url-concat";
export { splitHostAndPort } from "./split-host-and-port";
export { parseCookie, parseRequestCookies, unquoteCookieValue } from "./parse-cookie";
export { parseHeaderParameters, encodeHeaderParameters } from "./header-parameters";
export { parseQsBytes, parseQsToArguments } from "./parse-qs-bytes";
export type { ParseQsOptions } from "./parse-qs-bytes";
export { HTTPFile } from "./http-file";
export { DEFAULT_PARSE_BODY_CONFIG, resolveParseBodyConfig } from "./parse-body-config";
export type { ParseBodyConfig, ParseMultipartConfig, ParseUrlencodedConfig, ResolvedParseBodyConfig } from "./parse-body-config";
export { parseBodyArguments, parseMultipartFormData } from "./parse-body-arguments";
export type { ParseBodyOptions } from "./parse-body-arguments";
export { MultipartReader, multipartBoundary } from "./multipart-reader";
export type { MultipartEvent, MultipartPartHead, MultipartReaderLimits } from "./multipart-reader";
export { MultipartParser } from "./multipart-parser";
export type { MultipartParserOptions, MultipartPart, UploadedFile } from "./multipart-parser";
export {
  FIELD_VALUE_CHARS,
  HEX_DIGIT_VALUES,
  HOST_CHARS,
  TARGET_CHARS,
  TOKEN_CHARS,
  isFieldValue,
  isToken,
} from "./char-tables";
