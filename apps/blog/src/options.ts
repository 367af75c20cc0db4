/**
 * The blog's command line, as Tornado's demo takes it (`--port=8888`), with environment
 * variables as the fallback (`PORT`, `DATABASE_URL`, `COOKIE_SECRET`). Parsed with Node's
 * `util.parseArgs` until @tornado/ioloop has Tornado's `define`/`parseCommandLine` (issue 16).
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { APP_ROOT } from "./app";

export interface BlogOptions {
  port: number;
  address: string;
  /** PostgreSQL server URL; without it the blog runs on PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  cookieSecret: string | undefined;
  debug: boolean;
}

export const USAGE = `Usage: node dist/main.js [--port=8888] [--address=127.0.0.1] [--database_url=postgres://...]
       [--data_dir=apps/blog/data] [--cookie_secret=...] [--debug]
Environment: PORT, DATABASE_URL, COOKIE_SECRET (the options win).`;

/** Parses `argv` (without node and the script) and `env`; throws with a message naming a bad value. */
export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BlogOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      address: { type: "string" },
      database_url: { type: "string" },
      data_dir: { type: "string" },
      cookie_secret: { type: "string" },
      debug: { type: "boolean" },
    },
    strict: true,
  });
  const portText = values.port ?? env.PORT ?? "8888";
  const port = Number(portText);
  if (!/^[0-9]{1,5}$/.test(portText) || port > 65535) throw new Error(`--port must be a port number from 0 to 65535, got ${JSON.stringify(portText)}`);
  return {
    port,
    address: values.address ?? "127.0.0.1",
    databaseUrl: values.database_url ?? (env.DATABASE_URL || undefined),
    dataDir: values.data_dir ?? join(APP_ROOT, "data"),
    cookieSecret: values.cookie_secret ?? (env.COOKIE_SECRET || undefined),
    debug: values.debug ?? false,
  };
}
