/**
 * The blog's options, defined as Tornado's demo defines them and parsed by main.ts's
 * `parseCommandLine()` (`--port=8888`, `--help`), which also reads the environment variables
 * the README documents (PORT, DATABASE_URL, COOKIE_SECRET); the command line wins.
 */

import { join } from "node:path";
import { define } from "@tornado/tornado";
import { APP_ROOT } from "./app";

export const options = define("port", { type: "int", default: 8888, env: "PORT", help: "run on the given port" })
  .define("address", { default: "127.0.0.1", help: "listen on this address (0.0.0.0: every interface)" })
  .define("database_url", {
    type: "string",
    env: "DATABASE_URL",
    metavar: "URL",
    help: "the PostgreSQL server (postgres://user:password@host/db); none: PGlite in --data_dir",
  })
  .define("data_dir", { default: join(APP_ROOT, "data"), help: "PGlite's files" })
  .define("cookie_secret", { type: "string", env: "COOKIE_SECRET", help: "signs the login cookies; none: a random one, so logins end with the process" })
  .define("debug", { default: false, help: "Tornado's debug mode: templates reloaded, tracebacks in error pages" });
