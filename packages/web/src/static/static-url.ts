/**
 * RequestHandler.staticUrl, beside it. Tornado: RequestHandler.static_url.
 */

import { MissingSettingError } from "../errors";

/** What staticUrl needs of the `staticHandlerClass` setting (StaticFileHandler has it). */
export interface StaticUrlMaker {
  makeStaticUrl(settings: StaticUrlSettings, path: string, includeVersion?: boolean): string;
  reset?(): void;
}

/** The application settings staticUrl reads (ApplicationSettings documents them). */
export interface StaticUrlSettings {
  readonly staticPath?: string;
  readonly staticUrlPrefix?: string;
  readonly staticHashCache?: boolean;
  readonly staticHandlerClass?: StaticUrlMaker;
}

/** Where the URL is for, when it includes the host. */
export interface StaticUrlRequest {
  readonly protocol: string;
  readonly host: string;
}

/**
 * `staticHandlerClass.makeStaticUrl(settings, path, includeVersion)` (else the prefix and the
 * path), with `protocol://host` of the request when `includeHost`.
 */
export function staticUrl(
  settings: StaticUrlSettings,
  request: StaticUrlRequest,
  path: string,
  includeHost: boolean,
  includeVersion: boolean,
): string {
  if (!settings.staticPath) throw new MissingSettingError("staticPath", "staticUrl");
  const handlerClass = settings.staticHandlerClass;
  // staticHashCache: false (debug) rehashes, so an edited file gets a new ?v= at once.
  if (settings.staticHashCache === false) handlerClass?.reset?.();
  const url = handlerClass
    ? handlerClass.makeStaticUrl(settings, path, includeVersion)
    : (settings.staticUrlPrefix ?? "/static/") + path;
  return includeHost ? `${request.protocol}://${request.host}${url}` : url;
}
