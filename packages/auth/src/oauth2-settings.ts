/**
 * Reading an `{ key, secret }` client setting (googleOauth, githubOauth) with a clear error.
 */

import { describeValue } from "@tornado/util";
import type { RequestHandler } from "@tornado/web";
import { AuthConfigError } from "./errors";
import type { OAuth2ClientSettings } from "./settings";

/** The client setting `name` of the handler's application; AuthConfigError when malformed. */
export function clientSettings(handler: RequestHandler, name: string): OAuth2ClientSettings {
  const value = (handler.settings as Record<string, unknown>)[name] as Partial<OAuth2ClientSettings> | undefined;
  if (typeof value !== "object" || value === null || typeof value.key !== "string" || typeof value.secret !== "string") {
    throw new AuthConfigError(`the ${name} setting must be { key, secret } (the client id and secret), got ${describeValue(value)}`);
  }
  return value as OAuth2ClientSettings;
}
