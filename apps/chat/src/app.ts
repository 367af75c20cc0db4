/**
 * The chat as an Application: the routes of Tornado's demos/chat (long polling) and
 * demos/websocket (`/chatsocket`) in one app, on one ChatRoom.
 */

import { join } from "node:path";
import { Application } from "@tornado/tornado";
import type { ChatRoom } from "./chat-room";
import { ChatSocketHandler } from "./handlers/chat-socket-handler";
import { MainHandler, StatsHandler } from "./handlers/main-handler";
import { MessageNewHandler, MessageUpdatesHandler } from "./handlers/message-handlers";
import { MessageModule } from "./message-module";

export const APP_ROOT = join(__dirname, "..");

/** Bytes of a POST body (a 4 KiB message percent-encoded, the XSRF token): the server's maxBodySize, so larger ones get 413. */
export const MAX_POST_SIZE = 64 * 1024;

export interface ChatSettings {
  debug?: boolean;
}

export class ChatApplication extends Application {
  constructor(
    readonly room: ChatRoom,
    settings: ChatSettings = {},
  ) {
    super(
      [
        ["/", MainHandler],
        ["/chatsocket", ChatSocketHandler],
        ["/a/message/new", MessageNewHandler],
        ["/a/message/updates", MessageUpdatesHandler],
        ["/a/stats", StatsHandler],
      ],
      {
        templatePath: join(APP_ROOT, "templates"),
        staticPath: join(APP_ROOT, "static"),
        uiModules: { Message: MessageModule },
        // The XSRF token is not signed (no cookieSecret needed): the cookie and the form field
        // must match, which a page of another site cannot arrange.
        xsrfCookies: true,
        xsrfCookieKwargs: { sameSite: "Lax" },
        debug: settings.debug ?? false,
      },
    );
  }
}
