/**
 * The blog's options, defined as Tornado's demo defines them and parsed by main.ts's
 * `parseCommandLine()` (`--port=8888`, `--help`). The environment variables the README
 * documents (PORT, DATABASE_URL, COOKIE_SECRET) are their defaults, so the command line wins.
 */

import { join } from "node:path";
import { define } from "@tornado/tornado";
import { APP_ROOT } from "./app";

export const options = define("port", { type: "int", default: Number(process.env.PORT || 8888), help: "run on the given port (env PORT)" })
  .define("address", { default: "127.0.0.1", help: "listen on this address (0.0.0.0: every interface)" })
  .define("database_url", {
    type: "string",
    default: process.env.DATABASE_URL || undefined,
    metavar: "URL",
    help: "the PostgreSQL server (postgres://user:password@host/db); none: PGlite in --data_dir (env DATABASE_URL)",
  })
  .define("data_dir", { default: join(APP_ROOT, "data"), help: "PGlite's files" })
  .define("cookie_secret", {
    type: "string",
    default: process.env.COOKIE_SECRET || undefined,
    help: "signs the login cookies; none: a random one, so logins end with the process (env COOKIE_SECRET)",
  })
  .define("debug", { default: false, help: "Tornado's debug mode: templates reloaded, tracebacks in error pages" });
