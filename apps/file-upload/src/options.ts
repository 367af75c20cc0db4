/**
 * The receiver's options, defined as Tornado's file_receiver.py defines `port` and parsed by
 * main.ts's `parseCommandLine()` (`--port=8888`, `--help`), which also reads PORT; the
 * command line wins.
 */

import { join } from "node:path";
import { define } from "@tornado/tornado";
import { APP_ROOT, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_POST_SIZE } from "./app";

export const options = define("port", { type: "int", default: 8888, env: "PORT", help: "run on the given port" })
  .define("address", { default: "127.0.0.1", help: "listen on this address (0.0.0.0: every interface)" })
  .define("upload_dir", { default: join(APP_ROOT, "uploads"), help: "where PUT stores the files (created if missing)" })
  .define("max_file_size", { type: "int", default: DEFAULT_MAX_FILE_SIZE, help: "bytes: a larger PUT gets 413" })
  .define("max_post_size", { type: "int", default: DEFAULT_MAX_POST_SIZE, help: "bytes: the server's maxBodySize, so a larger POST gets 413" });
