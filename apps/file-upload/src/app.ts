/**
 * The file_upload demo as an Application: Tornado's routes (`/post`, `/<name>` for PUT) plus a
 * page at `/` to try them from a browser.
 */

import { join } from "node:path";
import { Application } from "@tornado/tornado";
import { IndexHandler } from "./index-handler";
import { POSTHandler } from "./post-handler";
import { PUTHandler, type UploadOptions } from "./put-handler";

export const APP_ROOT = join(__dirname, "..");

/** Bytes of a multipart POST (buffered in memory): the server's maxBodySize. */
export const DEFAULT_MAX_POST_SIZE = 16 * 1024 * 1024;
/** Bytes of one PUT (streamed to disk): Tornado's default max_body_size. */
export const DEFAULT_MAX_FILE_SIZE = 100 * 1024 * 1024;

export function makeApp(options: UploadOptions): Application {
  return new Application(
    [
      ["/", IndexHandler, options],
      ["/post", POSTHandler],
      ["/(.+)", PUTHandler, options],
    ],
    {
      templatePath: join(APP_ROOT, "templates"),
      staticPath: join(APP_ROOT, "static"),
    },
  );
}
