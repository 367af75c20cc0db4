/**
 * RequestHandler.staticUrl, kept out of request-handler.ts. Tornado: RequestHandler.static_url.
 */

import type { ApplicationSettings } from "../application";
import type { RequestHandler } from "../handler/request-handler";

/** What staticUrl needs of the `staticHandlerClass` setting (StaticFileHandler has it). */
interface StaticUrlMaker {
  makeStaticUrl(settings: ApplicationSettings, path: string, includeVersion?: boolean): string;
  reset?(): void;
}

/**
 * `staticHandlerClass.makeStaticUrl(settings, path, includeVersion)` (else the prefix and the
 * path), with `protocol://host` when includeHost (default: the handler's `includeHost`).
 */
export function staticUrl(handler: RequestHandler, path: string, includeHost: boolean | undefined, includeVersion: boolean): string {
  handler.requireSetting("staticPath", "staticUrl");
  const settings = handler.settings;
  const handlerClass = settings.staticHandlerClass as StaticUrlMaker | undefined;
  // staticHashCache: false (debug) rehashes, so an edited file gets a new ?v= at once.
  if (settings.staticHashCache === false) handlerClass?.reset?.();
  const url = handlerClass
    ? handlerClass.makeStaticUrl(settings, path, includeVersion)
    : (settings.staticUrlPrefix ?? "/static/") + path;
  includeHost ??= (handler as { includeHost?: boolean }).includeHost ?? false;
  return includeHost ? `${handler.request.protocol}://${handler.request.host}${url}` : url;
}
