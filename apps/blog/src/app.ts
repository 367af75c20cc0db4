/**
 * The blog as an Application: Tornado's demos/blog routes and settings, on a Database.
 */

import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { Application, type ApplicationSettings } from "@tornado/tornado";
import type { Database } from "./database";
import { EntryModule } from "./entry-module";
import { AuthCreateHandler, AuthLoginHandler, AuthLogoutHandler } from "./handlers/auth-handlers";
import { ComposeHandler } from "./handlers/compose-handler";
import { ArchiveHandler, EntryHandler, FeedHandler, HomeHandler } from "./handlers/entry-handlers";

export const APP_ROOT = join(__dirname, "..");

// The blog's own setting, declared on @tornado/web's ApplicationSettings (through the
// meta-package, which re-exports it); templates read it as handler.settings.blogTitle.
declare module "@tornado/tornado" {
  interface ApplicationSettings {
    /** The page title and feed name. */
    blogTitle?: string;
  }
}

export interface BlogSettings {
  /** Signs the session and XSRF cookies. Default: random, so sessions end when the process does. */
  cookieSecret?: string;
  /** The page title and feed name; default "Tornado Blog". */
  blogTitle?: string;
  debug?: boolean;
}

export class BlogApplication extends Application {
  constructor(
    readonly db: Database,
    settings: BlogSettings = {},
  ) {
    const appSettings: ApplicationSettings = {
      blogTitle: settings.blogTitle ?? "Tornado Blog",
      templatePath: join(APP_ROOT, "templates"),
      staticPath: join(APP_ROOT, "static"),
      uiModules: { Entry: EntryModule },
      xsrfCookies: true,
      xsrfCookieKwargs: { sameSite: "Lax" },
      cookieSecret: settings.cookieSecret ?? randomBytes(32).toString("base64"),
      loginUrl: "/auth/login",
      debug: settings.debug ?? false,
    };
    super(
      [
        ["/", HomeHandler],
        ["/archive", ArchiveHandler],
        ["/feed", FeedHandler],
        ["/entry/([^/]+)", EntryHandler],
        ["/compose", ComposeHandler],
        ["/auth/create", AuthCreateHandler],
        ["/auth/login", AuthLoginHandler],
        ["/auth/logout", AuthLogoutHandler],
      ],
      appSettings,
    );
  }
}
